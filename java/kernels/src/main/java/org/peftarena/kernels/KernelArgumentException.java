package org.peftarena.kernels;

/** A kernel was called with a null pointer, a bad size, a bad stride or a block size that does not fit. */
public class KernelArgumentException extends KernelException {
    private static final long serialVersionUID = 1L;
    /**
     * @param status {@link KernelStatus#NULL_POINTER} or {@link KernelStatus#INVALID_SIZE}
     * @param message which argument is wrong and why
     */
    public KernelArgumentException(KernelStatus status, String message) {
        super(status, message);
    }
}
