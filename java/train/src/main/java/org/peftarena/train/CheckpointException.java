package org.peftarena.train;

/** A training checkpoint is incomplete, corrupt, or was written by another run than the one resuming from it. */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message naming the checkpoint and what is wrong with it. */
    public CheckpointException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the failure that revealed the problem. */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
