package org.peftarena.formats.io;

/** A tensor that was asked for is not in the file or checkpoint. */
public final class MissingTensorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source file or checkpoint that was searched
     * @param name tensor name that was not found
     */
    public MissingTensorException(String source, String name) {
        super(source + ": no tensor named \"" + name + "\"");
    }
}
