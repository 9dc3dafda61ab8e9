package org.peftarena.train.sft;

/** A training data file or builtin dataset name that cannot be used, with the reason (and line). */
public final class SftDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public SftDataException(String message) {
        super(message);
    }

    public SftDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
