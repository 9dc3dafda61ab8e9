package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peftarena.kernels.Tolerances.Check.PROCRUSTES_RESIDUAL;
import static org.peftarena.kernels.Tolerances.Check.PROCRUSTES_ROTATION;
import static org.peftarena.kernels.Tolerances.Check.SVD_ORTHOGONALITY;
import static org.peftarena.kernels.Tolerances.Precision.F32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.kernels.reference.CayleyReference;
import org.peftarena.kernels.reference.ProcrustesReference;

class ProcrustesKernelTest {
    private static final KernelOps OPS = KernelOps.cpu();

    @ParameterizedTest(name = "batch={0} rows={1} d={2}")
    @CsvSource({"1,1,1", "3,5,1", "5,40,2", "9,64,31", "2,100,32", "3,33,33", "2,200,64", "1,300,128", "2,10,16"})
    void residualAndRotationMatchReference(int batch, int rows, int d) {
        final long seed = 11L * rows + d;
        final double[] x1 = TestData.toDouble(TestData.toFloat(TestData.gaussian(batch * rows * d, seed, 1.0)));
        final double[] x0 = TestData.toDouble(TestData.toFloat(TestData.gaussian(batch * rows * d, seed + 1, 1.0)));
        final ProcrustesResult r = OPS.procrustes(TestData.toFloat(x1), TestData.toFloat(x0), batch, rows, d, true);
        final double[] ref = ProcrustesReference.residuals(x1, x0, batch, rows, d);
        final double[] got = new double[batch];
        final double[] want = new double[batch];
        final double[] direct = new double[batch];
        for (int it = 0; it < batch; it++) {
            final double norm = Math.sqrt(squaredNorm(x1, it * rows * d, rows * d) + squaredNorm(x0, it * rows * d, rows * d));
            got[it] = r.residual()[it] / norm;
            want[it] = ref[it] / norm;
            final double[] rot = TestData.toDouble(java.util.Arrays.copyOfRange(r.rotation(), it * d * d, (it + 1) * d * d));
            direct[it] = ProcrustesReference.residualOf(java.util.Arrays.copyOfRange(x1, it * rows * d, (it + 1) * rows * d),
                    java.util.Arrays.copyOfRange(x0, it * rows * d, (it + 1) * rows * d), rows, d, rot) / norm;
            Close.assertSmall("rotation orthogonality", TestData.orthogonalityError(rot, 0, d, d), Tolerances.of(SVD_ORTHOGONALITY, F32),
                    "item " + it + " d " + d, seed);
        }
        final String shape = "[" + batch + "," + rows + "," + d + "]";
        Close.assertClose("residual / norm vs reference", want, got, Tolerances.of(PROCRUSTES_RESIDUAL, F32), shape, seed);
        // The returned rotation attains the residual the identity predicts.
        Close.assertClose("normF(X1 R - X0) of returned R / norm", want, direct, Tolerances.of(PROCRUSTES_RESIDUAL, F32), shape, seed);
    }

    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {2, 8, 33, 64})
    void recoversPlantedRotation(int d) {
        final int rows = 3 * d + 5;
        final long seed = 4L * d;
        final double[] q = TestData.gaussian(d * (d - 1) / 2, seed, 0.4 / Math.sqrt(d));
        final double[] planted = CayleyReference.exact(q, 1, d, 1.0); // [d, d]
        final double[] x1 = TestData.gaussian(rows * d, seed + 1, 1.0);
        final double[] x0 = new double[rows * d]; // x1 @ planted
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double acc = 0;
                for (int k = 0; k < d; k++) {
                    acc += x1[r * d + k] * planted[k * d + j];
                }
                x0[r * d + j] = acc;
            }
        }
        final ProcrustesResult r = OPS.procrustes(TestData.toFloat(x1), TestData.toFloat(x0), 1, rows, d, true);
        Close.assertClose("planted rotation", planted, TestData.toDouble(r.rotation()), Tolerances.of(PROCRUSTES_ROTATION, F32), "d " + d, seed);
        final double norm = Math.sqrt(squaredNorm(x1, 0, rows * d) * 2);
        Close.assertSmall("residual / norm of a planted rotation", r.residual()[0] / norm, Tolerances.of(PROCRUSTES_RESIDUAL, F32), "d " + d, seed);
        assertEquals(Backend.CPU, r.backendUsed());
    }

    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {1, 7, 64, 128, 129, 160})
    void residualFromCrossMatchesReference(int d) {
        final int rows = d + 9;
        final long seed = 99L + d;
        final double[] x1 = TestData.gaussian(rows * d, seed, 1.0);
        final double[] x0 = TestData.gaussian(rows * d, seed + 1, 1.0);
        final double[] m = new double[d * d]; // X1^T X0
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    m[i * d + j] += x1[r * d + i] * x0[r * d + j];
                }
            }
        }
        final double x1Sq = squaredNorm(x1, 0, rows * d);
        final double x0Sq = squaredNorm(x0, 0, rows * d);
        final float[] mf = TestData.toFloat(m);
        final double want = ProcrustesReference.residualFromCross(TestData.toDouble(mf), d, x1Sq, x0Sq);
        final double got = OPS.procrustesResidualFromCross(mf, d, x1Sq, x0Sq);
        final double norm = Math.sqrt(x1Sq + x0Sq);
        Close.assertClose("residual from cross / norm", new double[] {want / norm}, new double[] {got / norm},
                Tolerances.of(PROCRUSTES_RESIDUAL, F32), "M [" + d + "," + d + "]", seed);
    }

    @Test
    void residualFromCrossOfOrthogonalCrossIsZero() {
        // X1 = I (d x d), X0 = a permutation with signs: M is orthogonal, sum(svals) = d, residual 0.
        final int d = 150;
        final float[] m = new float[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + (i * 7) % d] = (i % 2 == 0) ? 1f : -1f;
        }
        final double got = OPS.procrustesResidualFromCross(m, d, d, d);
        Close.assertSmall("residual of a planted permutation / norm", got / Math.sqrt(2.0 * d), Tolerances.of(PROCRUSTES_RESIDUAL, F32), "d 150", 0);
    }

    private static double squaredNorm(double[] a, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += a[i] * a[i];
        }
        return s;
    }
}
