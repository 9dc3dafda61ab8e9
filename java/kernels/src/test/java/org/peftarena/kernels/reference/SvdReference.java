package org.peftarena.kernels.reference;

import java.util.Arrays;

/**
 * Double-precision reference singular values: cyclic one-sided (Hestenes) Jacobi, rotating column
 * pairs of A (or A^T when {@code m < n}) until every pair is orthogonal to 1e-15; the singular values are
 * the final column norms.
 */
public final class SvdReference {
    private SvdReference() {}

    /**
     * @param a matrices [batch, m, n] row-major
     * @return singular values [batch, min(m, n)], descending
     */
    public static double[] singularValues(double[] a, int batch, int m, int n) {
        final int k = Math.min(m, n);
        final double[] s = new double[batch * k]; // [batch, k]
        for (int it = 0; it < batch; it++) {
            double[][] w = Dense.load(a, it * m * n, m, n);
            if (m < n) {
                w = Dense.transpose(w);
            }
            final double[] sv = columnNormsAfterJacobi(w);
            System.arraycopy(sv, 0, s, it * k, k);
        }
        return s;
    }

    /** Singular values of one tall matrix w [rows][cols] ({@code rows >= cols}), descending; w is overwritten. */
    static double[] columnNormsAfterJacobi(double[][] w) {
        final int rows = w.length;
        final int cols = w[0].length;
        for (int sweep = 0; sweep < 100; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < cols - 1; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double app = 0.0;
                    double aqq = 0.0;
                    double apq = 0.0;
                    for (int i = 0; i < rows; i++) {
                        app += w[i][p] * w[i][p];
                        aqq += w[i][q] * w[i][q];
                        apq += w[i][p] * w[i][q];
                    }
                    if (Math.abs(apq) <= 1e-15 * Math.sqrt(app * aqq) || apq == 0.0) {
                        continue;
                    }
                    rotated = true;
                    final double zeta = (aqq - app) / (2.0 * apq);
                    final double t = Math.signum(zeta == 0.0 ? 1.0 : zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
                    final double c = 1.0 / Math.sqrt(1.0 + t * t);
                    final double s = c * t;
                    for (int i = 0; i < rows; i++) {
                        final double x = w[i][p];
                        final double y = w[i][q];
                        w[i][p] = c * x - s * y;
                        w[i][q] = s * x + c * y;
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        final double[] sv = new double[cols];
        for (int j = 0; j < cols; j++) {
            double ss = 0.0;
            for (int i = 0; i < rows; i++) {
                ss += w[i][j] * w[i][j];
            }
            sv[j] = Math.sqrt(ss);
        }
        Arrays.sort(sv);
        for (int i = 0; i < cols / 2; i++) {
            final double t = sv[i];
            sv[i] = sv[cols - 1 - i];
            sv[cols - 1 - i] = t;
        }
        return sv;
    }
}
