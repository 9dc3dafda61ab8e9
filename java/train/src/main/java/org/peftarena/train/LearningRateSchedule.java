package org.peftarena.train;

/** The learning rate as a function of the optimizer step. */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * @param step zero-based index of the optimizer step about to be taken
     * @return the learning rate for that step, >= 0
     */
    double learningRate(int step);
}
