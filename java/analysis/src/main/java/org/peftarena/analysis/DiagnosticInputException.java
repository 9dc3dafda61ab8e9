package org.peftarena.analysis;

/** Thrown when the inputs of a diagnostic do not fit together (shapes, names, missing tensors). */
public class DiagnosticInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what does not fit, naming the offending tensor and shapes */
    public DiagnosticInputException(String message) {
        super(message);
    }
}
