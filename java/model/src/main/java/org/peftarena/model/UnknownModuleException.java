package org.peftarena.model;

/** A module or weight name does not exist in the model. */
public class UnknownModuleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception naming the missing module. */
    public UnknownModuleException(String message) {
        super(message);
    }
}
