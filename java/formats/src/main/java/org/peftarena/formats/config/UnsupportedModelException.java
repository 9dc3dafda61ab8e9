package org.peftarena.formats.config;

/** A config.json is well formed but describes a model or feature this engine does not implement. */
public final class UnsupportedModelException extends ModelConfigException {
    private static final long serialVersionUID = 1L;

    /** @param message exactly what is unsupported, including the source and the field */
    public UnsupportedModelException(String message) {
        super(message);
    }
}
