package org.peftarena.train;

/**
 * Training stopped learning with every value finite (see {@link CollapseCheck}); handled as a
 * divergence: the run stops and names the last good checkpoint.
 */
public class TrainingCollapsedException extends TrainingDivergedException {
    private static final long serialVersionUID = 1L;
    private final int step;
    private final int firstStep;

    /**
     * @param message   the step, the evidence and how to recover
     * @param step      the step at which the collapse was recognised
     * @param firstStep its first collapsed step
     */
    public TrainingCollapsedException(String message, int step, int firstStep) {
        super(message);
        this.step = step;
        this.firstStep = firstStep;
    }

    /** The step at which the collapse was recognised. */
    public int step() {
        return step;
    }

    /** The first collapsed step. */
    public int firstStep() {
        return firstStep;
    }
}
