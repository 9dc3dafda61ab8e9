package org.peftarena.formats.io;

import java.io.IOException;

/** A safetensors file (or sharded checkpoint index) is malformed; the message names the file and the problem. */
public final class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source file or checkpoint the problem was found in
     * @param problem what is wrong
     */
    public SafetensorsFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    /**
     * @param source file or checkpoint the problem was found in
     * @param problem what is wrong
     * @param cause underlying parse error
     */
    public SafetensorsFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
