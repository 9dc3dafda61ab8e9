package org.peftarena.arena.importer;

/** An external score file is missing or malformed; the message names the file, line and field. */
public class ScoreImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message. */
    public ScoreImportException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public ScoreImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
