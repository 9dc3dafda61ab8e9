package org.peftarena.arena.report;

/** A report could not be built or written. */
public class ReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message and its cause. */
    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message. */
    public ReportException(String message) {
        super(message);
    }
}
