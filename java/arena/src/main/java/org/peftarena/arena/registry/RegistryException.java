package org.peftarena.arena.registry;

/** The run registry could not be opened, read or written. */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message and its cause. */
    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message. */
    public RegistryException(String message) {
        super(message);
    }
}
