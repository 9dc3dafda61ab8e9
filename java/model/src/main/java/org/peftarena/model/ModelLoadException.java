package org.peftarena.model;

import java.io.IOException;

/** A model directory could not be loaded: missing files, wrong tensors, unsupported dtypes. */
public class ModelLoadException extends IOException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception with a message naming the directory and the problem. */
    public ModelLoadException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
