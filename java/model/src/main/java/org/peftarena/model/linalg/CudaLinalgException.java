package org.peftarena.model.linalg;

/** A cuBLAS or cuSOLVER call failed or did not converge; the message names the call and the status. */
public class CudaLinalgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which call failed and how */
    public CudaLinalgException(String message) {
        super(message);
    }
}
