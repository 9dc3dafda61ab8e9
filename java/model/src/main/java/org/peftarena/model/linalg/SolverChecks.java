package org.peftarena.model.linalg;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cusolver;

/**
 * cuBLAS / cuSOLVER status codes and {@code info} values turned into exceptions naming the call. The status
 * constants are compile-time constants of the presets, inlined by javac, so using them here loads none of the
 * presets' classes (whose static initialisers need an NVIDIA driver).
 */
final class SolverChecks {
    private SolverChecks() {}

    /** @throws CudaLinalgException unless {@code status} is {@code CUSOLVER_STATUS_SUCCESS} */
    static void cusolver(String call, int status) {
        if (status != cusolver.CUSOLVER_STATUS_SUCCESS) {
            throw new CudaLinalgException(call + " failed: " + cusolverName(status) + " (" + status + ")");
        }
    }

    /** @throws CudaLinalgException unless {@code status} is {@code CUBLAS_STATUS_SUCCESS} */
    static void cublas(String call, int status) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaLinalgException(call + " failed: " + cublasName(status) + " (" + status + ")");
        }
    }

    /**
     * Checks the {@code info} values a Jacobi solver wrote: 0 is success, {@code -i} a wrong i-th parameter, and
     * a positive value (cuSOLVER writes {@code min(m, n) + 1}, resp. {@code n + 1}) no convergence within the
     * tolerance and sweep limit.
     *
     * @param call the cuSOLVER function
     * @param info one value per matrix
     * @throws CudaLinalgException naming the first failing matrix
     */
    static void info(String call, int[] info) {
        for (int i = 0; i < info.length; i++) {
            int v = info[i];
            String which = info.length == 1 ? "" : " for matrix " + i + " of " + info.length;
            if (v < 0) {
                throw new CudaLinalgException(call + ": parameter " + -v + " is wrong" + which + " (info = " + v + ")");
            }
            if (v > 0) {
                throw new CudaLinalgException(call + " did not converge" + which
                        + " within its tolerance and sweep limit (info = " + v + "); check the input for NaN or Inf");
            }
        }
    }

    /**
     * @param call the {@code _bufferSize} function that answered
     * @param lwork its answer, in elements
     * @return the workspace's element count (at least 1, so the buffer has an address)
     */
    static long workspaceElements(String call, int lwork) {
        if (lwork < 0) {
            throw new CudaLinalgException(call + " returned a negative workspace size " + lwork);
        }
        return Math.max(1, lwork);
    }

    /** The {@code cusolverStatus_t} name of a code. */
    static String cusolverName(int status) {
        return switch (status) {
            case cusolver.CUSOLVER_STATUS_SUCCESS -> "CUSOLVER_STATUS_SUCCESS";
            case cusolver.CUSOLVER_STATUS_NOT_INITIALIZED -> "CUSOLVER_STATUS_NOT_INITIALIZED";
            case cusolver.CUSOLVER_STATUS_ALLOC_FAILED -> "CUSOLVER_STATUS_ALLOC_FAILED";
            case cusolver.CUSOLVER_STATUS_INVALID_VALUE -> "CUSOLVER_STATUS_INVALID_VALUE";
            case cusolver.CUSOLVER_STATUS_ARCH_MISMATCH -> "CUSOLVER_STATUS_ARCH_MISMATCH";
            case cusolver.CUSOLVER_STATUS_MAPPING_ERROR -> "CUSOLVER_STATUS_MAPPING_ERROR";
            case cusolver.CUSOLVER_STATUS_EXECUTION_FAILED -> "CUSOLVER_STATUS_EXECUTION_FAILED";
            case cusolver.CUSOLVER_STATUS_INTERNAL_ERROR -> "CUSOLVER_STATUS_INTERNAL_ERROR";
            case cusolver.CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED -> "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED";
            case cusolver.CUSOLVER_STATUS_NOT_SUPPORTED -> "CUSOLVER_STATUS_NOT_SUPPORTED";
            case cusolver.CUSOLVER_STATUS_INVALID_LICENSE -> "CUSOLVER_STATUS_INVALID_LICENSE";
            case cusolver.CUSOLVER_STATUS_INVALID_WORKSPACE -> "CUSOLVER_STATUS_INVALID_WORKSPACE";
            default -> "cuSOLVER status";
        };
    }

    /** The {@code cublasStatus_t} name of a code. */
    static String cublasName(int status) {
        return switch (status) {
            case cublas.CUBLAS_STATUS_SUCCESS -> "CUBLAS_STATUS_SUCCESS";
            case cublas.CUBLAS_STATUS_NOT_INITIALIZED -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case cublas.CUBLAS_STATUS_ALLOC_FAILED -> "CUBLAS_STATUS_ALLOC_FAILED";
            case cublas.CUBLAS_STATUS_INVALID_VALUE -> "CUBLAS_STATUS_INVALID_VALUE";
            case cublas.CUBLAS_STATUS_ARCH_MISMATCH -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case cublas.CUBLAS_STATUS_MAPPING_ERROR -> "CUBLAS_STATUS_MAPPING_ERROR";
            case cublas.CUBLAS_STATUS_EXECUTION_FAILED -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case cublas.CUBLAS_STATUS_INTERNAL_ERROR -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case cublas.CUBLAS_STATUS_NOT_SUPPORTED -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case cublas.CUBLAS_STATUS_LICENSE_ERROR -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cuBLAS status";
        };
    }
}
