package org.peftarena.peft;

/** A method name that no implementation answers to. */
public final class UnknownMethodException extends PeftException {
    private static final long serialVersionUID = 1L;
    public UnknownMethodException(String message) {
        super(message);
    }
}
