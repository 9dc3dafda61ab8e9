package org.peftarena.train;

import java.nio.file.Path;

/** Training stopped at a step boundary because a stop was requested ({@link StopRequest}); nothing is lost. */
public class TrainingStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int step;
    private final transient Path checkpoint;

    /**
     * @param step steps completed
     * @param checkpoint the checkpoint written at that step, or null when the run keeps no files
     */
    public TrainingStoppedException(int step, Path checkpoint) {
        super("training stopped by request after step " + step
                + (checkpoint == null ? "" : "; checkpoint written to " + checkpoint));
        this.step = step;
        this.checkpoint = checkpoint;
    }

    /** Steps completed. */
    public int step() {
        return step;
    }

    /** The checkpoint written at {@link #step()}, or null. */
    public Path checkpoint() {
        return checkpoint;
    }
}
