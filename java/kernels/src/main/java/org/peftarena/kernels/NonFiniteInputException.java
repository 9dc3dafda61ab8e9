package org.peftarena.kernels;

/** A kernel input (or a result that overflowed) contains NaN or infinity. */
public class NonFiniteInputException extends KernelException {
    private static final long serialVersionUID = 1L;
    /** @param message which input holds the first non-finite value, and where */
    public NonFiniteInputException(String message) {
        super(KernelStatus.NON_FINITE, message);
    }
}
