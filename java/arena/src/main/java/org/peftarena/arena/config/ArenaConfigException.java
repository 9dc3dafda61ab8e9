package org.peftarena.arena.config;

/** An arena configuration is missing, malformed or inconsistent; the message says where and why. */
public class ArenaConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message naming the problem. */
    public ArenaConfigException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public ArenaConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
