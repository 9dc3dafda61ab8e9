package org.peftarena.train.rl;

/** Bad RL input: a task file, a task name, a reward name. */
public final class RlDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public RlDataException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause   the underlying failure
     */
    public RlDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
