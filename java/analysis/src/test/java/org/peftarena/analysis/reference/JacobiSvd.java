package org.peftarena.analysis.reference;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Thin singular value decomposition {@code A = U diag(s) V^T} by one-sided (Hestenes) Jacobi
 * rotations in double precision: slow, but short and accurate, the oracle the tests trust.
 *
 * @param u left singular vectors, double [m, k]; a column whose singular value is 0 is left 0
 * @param s singular values, descending, double [k], {@code k = min(m, n)}
 * @param v right singular vectors, double [n, k]
 */
public record JacobiSvd(DMatrix u, double[] s, DMatrix v) {
    private static final int MAX_SWEEPS = 100;

    /** Decomposes {@code a} (any shape). */
    public static JacobiSvd of(DMatrix a) {
        if (a.rows() < a.cols()) {
            JacobiSvd t = tall(a.transpose());
            return new JacobiSvd(t.v, t.s, t.u);
        }
        return tall(a);
    }

    /** Singular values only, descending. */
    public static double[] values(DMatrix a) {
        return of(a).s();
    }

    private static JacobiSvd tall(DMatrix a) {
        int m = a.rows();
        int n = a.cols();
        double[][] w = new double[n][];
        double[][] v = new double[n][];
        for (int j = 0; j < n; j++) {
            w[j] = a.column(j);
            v[j] = new double[n];
            v[j][j] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = DMatrix.dot(w[p], w[p]);
                    double beta = DMatrix.dot(w[q], w[q]);
                    double gamma = DMatrix.dot(w[p], w[q]);
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotate(w[p], w[q], c, s);
                    rotate(v[p], v[q], c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] norms = new double[n];
        for (int j = 0; j < n; j++) {
            norms[j] = DMatrix.norm(w[j]);
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> norms[j]).reversed());
        DMatrix u = DMatrix.zeros(m, n);
        DMatrix vv = DMatrix.zeros(n, n);
        double[] s = new double[n];
        for (int r = 0; r < n; r++) {
            int j = order[r];
            s[r] = norms[j];
            for (int i = 0; i < m; i++) {
                u.set(i, r, s[r] > 0 ? w[j][i] / s[r] : 0);
            }
            for (int i = 0; i < n; i++) {
                vv.set(i, r, v[j][i]);
            }
        }
        return new JacobiSvd(u, s, vv);
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }
}
