package org.peftarena.train.rl;

/** A reward function failed (threw, or returned a value that is not finite); the run stops before any update of the step. */
public final class RewardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the reward, the problem and what went wrong */
    public RewardException(String message) {
        super(message);
    }

    /**
     * @param message the reward, the problem and what went wrong
     * @param cause   what the reward threw
     */
    public RewardException(String message, Throwable cause) {
        super(message, cause);
    }
}
