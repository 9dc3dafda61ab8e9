package org.peftarena.peft;

/** An adapter directory, config or tensor that does not fit the model or method it is loaded into. */
public final class AdapterFormatException extends PeftException {
    public AdapterFormatException(String message) {
        super(message);
    }

    public AdapterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
