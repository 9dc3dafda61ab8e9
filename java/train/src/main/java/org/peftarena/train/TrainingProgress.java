package org.peftarena.train;

/**
 * State of a training run after one optimizer step.
 *
 * @param step            steps completed so far, 1..totalSteps
 * @param totalSteps      steps the run will take
 * @param loss            mean loss of this step's batch
 * @param learningRate    learning rate used for this step
 * @param gradNorm        global gradient norm before clipping (the largest of the step's updates)
 * @param tokens          tokens processed so far (loss-bearing positions)
 * @param elapsedSeconds  wall time since the run started
 */
public record TrainingProgress(int step, int totalSteps, double loss, double learningRate, double gradNorm,
                               long tokens, double elapsedSeconds) {
    /** Average throughput since the start, tokens per second. */
    public double tokensPerSecond() {
        return elapsedSeconds > 0 ? tokens / elapsedSeconds : 0;
    }

    /** Fraction of the run done, in [0, 1]. */
    public double fractionDone() {
        return (double) step / totalSteps;
    }
}
