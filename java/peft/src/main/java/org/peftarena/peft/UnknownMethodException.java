package org.peftarena.peft;

/** A method name that no implementation answers to. */
public final class UnknownMethodException extends PeftException {
    public UnknownMethodException(String message) {
        super(message);
    }
}
