package org.peftarena.formats.tokenizer;

import java.io.IOException;

/** A tokenizer file is missing, malformed or cannot be loaded; the message names the file. */
public final class TokenizerException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, including the file */
    public TokenizerException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, including the file
     * @param cause underlying error
     */
    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
