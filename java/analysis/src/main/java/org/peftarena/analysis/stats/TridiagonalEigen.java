package org.peftarena.analysis.stats;

/**
 * Eigenvalues of a symmetric tridiagonal matrix by implicit QL with Wilkinson-type shifts, tracking
 * only the last row of the eigenvector matrix: O(m^2) work, which is what the Lanczos residual
 * bound needs (LAPACK through LibTorch costs tens of milliseconds per call at these sizes).
 */
final class TridiagonalEigen {
    private static final int MAX_SWEEPS = 60;
    private static final double EPS = 0x1p-52;

    /** Eigenvalues (unsorted) and the last component of each unit eigenvector, index-matched. */
    record Result(double[] values, double[] lastComponents) {
        /** @return {largest eigenvalue, last component of its eigenvector} */
        double[] top() {
            int best = 0;
            for (int i = 1; i < values.length; i++) {
                if (values[i] > values[best]) {
                    best = i;
                }
            }
            return new double[] {values[best], lastComponents[best]};
        }
    }

    private TridiagonalEigen() {}

    /**
     * @param diagonal double [m], not modified
     * @param offDiagonal double [m - 1] or longer (entries past m - 2 ignored), not modified
     * @param m size
     * @return eigenvalues and last eigenvector components
     */
    static Result of(double[] diagonal, double[] offDiagonal, int m) {
        double[] d = java.util.Arrays.copyOf(diagonal, m);
        double[] e = new double[m];
        System.arraycopy(offDiagonal, 0, e, 0, m - 1);
        double[] z = new double[m];
        z[m - 1] = 1;
        for (int l = 0; l < m; l++) {
            int iter = 0;
            int k;
            do {
                for (k = l; k < m - 1; k++) {
                    double dd = Math.abs(d[k]) + Math.abs(d[k + 1]);
                    if (Math.abs(e[k]) <= EPS * dd) {
                        break;
                    }
                }
                if (k != l) {
                    if (iter++ == MAX_SWEEPS) {
                        throw new ArithmeticException("tridiagonal QL did not converge");
                    }
                    double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                    double r = Math.hypot(g, 1.0);
                    g = d[k] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    boolean underflow = false;
                    for (i = k - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = Math.hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0) {
                            d[i + 1] -= p;
                            e[k] = 0;
                            underflow = true;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2.0 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                        double zf = z[i + 1];
                        z[i + 1] = s * z[i] + c * zf;
                        z[i] = c * z[i] - s * zf;
                    }
                    if (underflow) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[k] = 0;
                }
            } while (k != l);
        }
        return new Result(d, z);
    }
}
