package org.peftarena.peft;

/** An adapter directory, config or tensor that does not fit the model or method it is loaded into. */
public final class AdapterFormatException extends PeftException {
    private static final long serialVersionUID = 1L;
    public AdapterFormatException(String message) {
        super(message);
    }

    public AdapterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
