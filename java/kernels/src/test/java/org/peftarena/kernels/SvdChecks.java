package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.fail;
import static org.peftarena.kernels.Tolerances.Check.SVD_ORTHOGONALITY;
import static org.peftarena.kernels.Tolerances.Check.SVD_RECONSTRUCTION;
import static org.peftarena.kernels.Tolerances.Check.SVD_VALUES;

import org.peftarena.kernels.Tolerances.Precision;
import org.peftarena.kernels.reference.SvdReference;

/** Checks of a batched SVD result computed in double: values vs reference, order, reconstruction, orthogonality. */
final class SvdChecks {
    private SvdChecks() {}

    /**
     * @param a matrices [batch, m, n]
     * @param s singular values [batch, k]
     * @param u left vectors [batch, m, k]
     * @param vt right vectors [batch, k, n]
     */
    static void verify(double[] a, int batch, int m, int n, double[] s, double[] u, double[] vt, Precision p, long seed) {
        final int k = Math.min(m, n);
        final double[] ref = SvdReference.singularValues(a, batch, m, n);
        for (int it = 0; it < batch; it++) {
            final String shape = "item " + it + " of [" + batch + "," + m + "," + n + "]";
            final double smax = Math.max(ref[it * k], Double.MIN_NORMAL);
            final double[] got = new double[k];
            final double[] want = new double[k];
            for (int r = 0; r < k; r++) {
                got[r] = s[it * k + r] / smax;
                want[r] = ref[it * k + r] / smax;
                if (s[it * k + r] < 0 || (r > 0 && s[it * k + r] > s[it * k + r - 1])) {
                    fail(shape + " seed " + seed + ": singular values not sorted non-negative at " + r);
                }
            }
            Close.assertClose("singular values / s_max", want, got, Tolerances.of(SVD_VALUES, p), shape, seed);
            Close.assertSmall("normMax(U^T U - I)", TestData.orthogonalityError(u, it * m * k, m, k), Tolerances.of(SVD_ORTHOGONALITY, p), shape, seed);
            Close.assertSmall("normMax(Vt Vt^T - I)", TestData.orthogonalityError(TestData.transpose(vt, it * k * n, k, n), 0, n, k),
                    Tolerances.of(SVD_ORTHOGONALITY, p), shape, seed);
            double num = 0.0;
            double den = 0.0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0.0;
                    for (int r = 0; r < k; r++) {
                        acc += u[it * m * k + i * k + r] * s[it * k + r] * vt[it * k * n + r * n + j];
                    }
                    final double aij = a[it * m * n + i * n + j];
                    num += (acc - aij) * (acc - aij);
                    den += aij * aij;
                }
            }
            final double rel = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
            Close.assertSmall("normF(U S Vt - A)/normF(A)", rel, Tolerances.of(SVD_RECONSTRUCTION, p), shape, seed);
        }
    }
}
