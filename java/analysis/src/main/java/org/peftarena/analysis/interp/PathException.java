package org.peftarena.analysis.interp;

/** Thrown when a path, rewinding or selection cannot be built from its inputs (method, shapes, grid, names). */
public class PathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what does not fit, naming the offending module, option or value */
    public PathException(String message) {
        super(message);
    }
}
