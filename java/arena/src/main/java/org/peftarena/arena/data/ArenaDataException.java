package org.peftarena.arena.data;

/** A task's data could not be found, read or parsed; the message names the file and the problem. */
public class ArenaDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message naming what failed. */
    public ArenaDataException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public ArenaDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
