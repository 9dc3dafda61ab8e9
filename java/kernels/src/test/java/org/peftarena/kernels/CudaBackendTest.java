package org.peftarena.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.peftarena.kernels.Tolerances.Check.BLOCK_ROTATE;
import static org.peftarena.kernels.Tolerances.Check.CAYLEY_EXACT;
import static org.peftarena.kernels.Tolerances.Check.CAYLEY_NEUMANN;
import static org.peftarena.kernels.Tolerances.Check.PROCRUSTES_RESIDUAL;
import static org.peftarena.kernels.Tolerances.Check.SVD_VALUES;
import static org.peftarena.kernels.Tolerances.Precision.F32;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Backend.CUDA against the CPU kernels; skipped (with the reason) when no CUDA device is usable. */
@Tag("gpu")
class CudaBackendTest {
    private static final KernelOps CPU = KernelOps.cpu();
    private KernelOps cuda;

    @BeforeEach
    void requireDevice() {
        assumeTrue(KernelOps.cudaDeviceCount() > 0, "no usable CUDA device (pa_cuda_device_count = 0)");
        cuda = KernelOps.create(Backend.CUDA);
    }

    @Test
    void cayleyAgrees() {
        for (int b : new int[] {2, 16, 31, 32, 33, 64, 128}) {
            final float[] q = TestData.toFloat(TestData.gaussian(7 * b * (b - 1) / 2, b, 0.5 / Math.sqrt(b)));
            for (CayleyVariant v : new CayleyVariant[] {CayleyVariant.EXACT, CayleyVariant.NEUMANN_5}) {
                Close.assertClose("cuda cayley " + v, TestData.toDouble(CPU.cayley(q, 7, b, v, 1f)), TestData.toDouble(cuda.cayley(q, 7, b, v, 1f)),
                        Tolerances.of(v.isExact() ? CAYLEY_EXACT : CAYLEY_NEUMANN, F32), "[7," + b + "," + b + "]", b);
            }
        }
    }

    @Test
    void blockRotateAgrees() {
        for (int b : new int[] {3, 8, 32, 128}) {
            final float[] x = TestData.toFloat(TestData.gaussian(33 * 256 / b * b, b, 1.0));
            final float[] r = TestData.toFloat(TestData.gaussian(256 / b * b * b, b + 1, 1.0 / Math.sqrt(b)));
            final int n = 256 / b * b;
            Close.assertClose("cuda block rotate b=" + b, TestData.toDouble(CPU.blockRotate(x, 33, n, r, b, false)),
                    TestData.toDouble(cuda.blockRotate(x, 33, n, r, b, false)), Tolerances.of(BLOCK_ROTATE, F32), "[33," + n + "]", b);
        }
    }

    @Test
    void svdAgrees() {
        for (int[] s : new int[][] {{32, 32}, {33, 17}, {17, 33}, {128, 128}, {1, 5}}) {
            final int m = s[0];
            final int n = s[1];
            final double[] a = TestData.toDouble(TestData.toFloat(TestData.gaussian(9 * m * n, m + n, 1.0)));
            final SvdResult g = cuda.svd(TestData.toFloat(a), 9, m, n, true);
            SvdChecks.verify(a, 9, m, n, TestData.toDouble(g.s()), TestData.toDouble(g.u()), TestData.toDouble(g.vt()), F32, m + n);
            Close.assertClose("cuda svd values", TestData.toDouble(CPU.svd(TestData.toFloat(a), 9, m, n, false).s()), TestData.toDouble(g.s()),
                    new Tolerances.Tol(Tolerances.of(SVD_VALUES, F32).rtol(), 1e-4, "absolute, sigma_max ~ 2 sqrt(128)"), m + "x" + n, m + n);
        }
    }

    @Test
    void procrustesAgrees() {
        final float[] x1 = TestData.toFloat(TestData.gaussian(5 * 80 * 32, 1, 1.0));
        final float[] x0 = TestData.toFloat(TestData.gaussian(5 * 80 * 32, 2, 1.0));
        final ProcrustesResult c = CPU.procrustes(x1, x0, 5, 80, 32, true);
        final ProcrustesResult g = cuda.procrustes(x1, x0, 5, 80, 32, true);
        final double norm = Math.sqrt(2.0 * 80 * 32);
        final double[] cr = TestData.toDouble(c.residual());
        final double[] gr = TestData.toDouble(g.residual());
        for (int i = 0; i < 5; i++) {
            cr[i] /= norm;
            gr[i] /= norm;
        }
        Close.assertClose("cuda procrustes residual / norm", cr, gr, Tolerances.of(PROCRUSTES_RESIDUAL, F32), "[5,80,32]", 1);
    }
}
