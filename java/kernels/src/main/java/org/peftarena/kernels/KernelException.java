package org.peftarena.kernels;

/** A native kernel call failed; carries the C ABI status and the library's message. */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final KernelStatus status;

    /**
     * @param status the failing status
     * @param message what went wrong (usually the native {@code pa_last_error()} text)
     */
    public KernelException(KernelStatus status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    /** The status code of the failure. */
    public KernelStatus status() {
        return status;
    }
}
