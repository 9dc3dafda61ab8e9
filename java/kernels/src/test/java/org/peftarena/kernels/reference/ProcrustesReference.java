package org.peftarena.kernels.reference;

/**
 * Double-precision reference of orthogonal Procrustes: the residual {@code normF(X1 R - X0)} for
 * the optimal rotation, from the singular values of {@code M = X1^T X0}
 * ({@code normF(X1)^2 + normF(X0)^2 - 2 sum(svals(M))}, clamped at 0).
 */
public final class ProcrustesReference {
    private ProcrustesReference() {}

    /**
     * @param x1 [batch, rows, d]
     * @param x0 [batch, rows, d]
     * @return residuals [batch]
     */
    public static double[] residuals(double[] x1, double[] x0, int batch, int rows, int d) {
        final double[] out = new double[batch]; // [batch]
        for (int it = 0; it < batch; it++) {
            final int off = it * rows * d;
            final double[] m = new double[d * d]; // [d, d] = X1^T X0
            double sq = 0.0;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    final double a = x1[off + r * d + i];
                    sq += a * a + x0[off + r * d + i] * x0[off + r * d + i];
                    for (int j = 0; j < d; j++) {
                        m[i * d + j] += a * x0[off + r * d + j];
                    }
                }
            }
            out[it] = residualFromCross(m, d, sq, 0.0);
        }
        return out;
    }

    /**
     * @param m cross product X1^T X0 [d, d]
     * @param x1Sq normF(X1)^2
     * @param x0Sq normF(X0)^2
     */
    public static double residualFromCross(double[] m, int d, double x1Sq, double x0Sq) {
        double sum = 0.0;
        for (double s : SvdReference.singularValues(m, 1, d, d)) {
            sum += s;
        }
        return Math.sqrt(Math.max(0.0, x1Sq + x0Sq - 2.0 * sum));
    }

    /** Residual normF(x1 R - x0) of a given rotation R [d, d], computed directly. */
    public static double residualOf(double[] x1, double[] x0, int rows, int d, double[] rot) {
        double ss = 0.0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double acc = 0.0;
                for (int k = 0; k < d; k++) {
                    acc += x1[r * d + k] * rot[k * d + j];
                }
                final double e = acc - x0[r * d + j];
                ss += e * e;
            }
        }
        return Math.sqrt(ss);
    }
}
