package org.peftarena.peft;

/** A PEFT configuration, adapter file or budget request that cannot be honoured, with the reason. */
public class PeftException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public PeftException(String message) {
        super(message);
    }

    public PeftException(String message, Throwable cause) {
        super(message, cause);
    }
}
