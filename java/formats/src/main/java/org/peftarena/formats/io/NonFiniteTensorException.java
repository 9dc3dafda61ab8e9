package org.peftarena.formats.io;

/** A tensor, scale or result holds NaN or infinity where only finite values make sense. */
public class NonFiniteTensorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String tensor;

    /**
     * @param tensor name of the offending tensor (or scale, or result)
     * @param message the full message, naming the tensor and where it came from
     */
    public NonFiniteTensorException(String tensor, String message) {
        super(message);
        this.tensor = tensor;
    }

    /** The name of the offending tensor, scale or result. */
    public String tensor() {
        return tensor;
    }
}
