package org.peftarena.formats.io;

import java.io.IOException;

/** A user's text file cannot be read as what it claims to be: not a regular file, or not UTF-8 (with its line). */
public final class UserFileException extends IOException {
    private static final long serialVersionUID = 1L;
    /** @param message names the file (and line) and the problem */
    public UserFileException(String message) {
        super(message);
    }
}
