package org.peftarena.kernels;

/** The requested backend (CUDA) is not compiled in, has no usable device, or lacks this kernel. */
public class BackendUnavailableException extends KernelException {
    private static final long serialVersionUID = 1L;
    /** @param message why the backend cannot be used */
    public BackendUnavailableException(String message) {
        super(KernelStatus.UNAVAILABLE, message);
    }
}
