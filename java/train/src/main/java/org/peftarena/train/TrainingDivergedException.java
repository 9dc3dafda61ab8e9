package org.peftarena.train;

/** Training produced a non-finite loss or gradient norm, or collapsed ({@link TrainingCollapsedException}). */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message giving the step and value. */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
