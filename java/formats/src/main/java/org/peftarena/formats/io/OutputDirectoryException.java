package org.peftarena.formats.io;

import java.io.IOException;

/** An output directory cannot be used as asked: not empty, an input, a file, unwritable or an empty name. */
public final class OutputDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;
    /** @param message names the directory and what to do about it */
    public OutputDirectoryException(String message) {
        super(message);
    }
}
