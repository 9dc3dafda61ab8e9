package org.peftarena.formats.config;

import java.io.IOException;

/** A model config.json is malformed or holds invalid values; the message names the file and the field. */
public class ModelConfigException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, including the source and the field */
    public ModelConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause underlying parse error
     */
    public ModelConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
