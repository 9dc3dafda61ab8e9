package org.peftarena.kernels;

/**
 * Batched fp64 SVD {@code A = U diag(s) Vt} with {@code k = min(m, n)}.
 *
 * @param s singular values [batch, k], descending, non-negative
 * @param u left vectors [batch, m, k] row-major, or null when not computed
 * @param vt right vectors transposed [batch, k, n] row-major, or null when not computed
 * @param batch number of matrices
 * @param m rows of each matrix
 * @param n columns of each matrix
 * @param backendUsed where the kernel ran
 */
public record SvdResultF64(double[] s, double[] u, double[] vt, int batch, int m, int n, Backend backendUsed) {
    /** {@code min(m, n)}. */
    public int k() {
        return Math.min(m, n);
    }
}
