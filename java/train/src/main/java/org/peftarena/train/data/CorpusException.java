package org.peftarena.train.data;

/** A data set could not be found or read. */
public class CorpusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message naming what failed. */
    public CorpusException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
