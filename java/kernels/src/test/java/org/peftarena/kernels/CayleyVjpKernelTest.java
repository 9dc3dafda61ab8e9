package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Cayley transform's vector-Jacobian product against central finite differences of the
 * double-precision forward kernel: {@code <dq, v> = d/dt <G, R(q + t v)>} at {@code t = 0}.
 */
class CayleyVjpKernelTest {
    private static final KernelOps OPS = KernelOps.cpu();

    @ParameterizedTest(name = "b={0} batch={1} terms={2}")
    @CsvSource({"2,3,5", "4,2,0", "5,3,5", "8,2,2", "8,2,3", "16,3,5", "16,2,0", "7,2,8", "24,1,12", "9,2,1", "32,2,0", "128,1,5"})
    void matchesFiniteDifferences(int b, int batch, int terms) {
        final int packed = b * (b - 1) / 2;
        final long seed = 100L * b + terms;
        final double[] q = TestData.gaussian(batch * packed, seed, 0.3 / Math.sqrt(b));
        final double[] g = TestData.gaussian(batch * b * b, seed + 1, 1.0);
        final double[] v = TestData.gaussian(batch * packed, seed + 2, 1.0);
        final CayleyVariant variant = terms == 0 ? CayleyVariant.EXACT : CayleyVariant.neumannSeries(terms);

        final float[] qf = TestData.toFloat(q);
        final float[] r = OPS.cayley(qf, batch, b, variant, 1f);
        final float[] dq = OPS.cayleyVjp(qf, variant.isExact() ? r : null, TestData.toFloat(g), batch, b, variant);

        final double h = 1e-4;
        final double[] qp = new double[q.length];
        final double[] qm = new double[q.length];
        final double[] qd = TestData.toDouble(qf);
        for (int i = 0; i < q.length; i++) {
            qp[i] = qd[i] + h * v[i];
            qm[i] = qd[i] - h * v[i];
        }
        final double[] rp = OPS.cayley(qp, batch, b, variant, 1.0);
        final double[] rm = OPS.cayley(qm, batch, b, variant, 1.0);
        final double[] gd = TestData.toDouble(TestData.toFloat(g));
        double numeric = 0;
        for (int i = 0; i < gd.length; i++) {
            numeric += gd[i] * (rp[i] - rm[i]) / (2 * h);
        }
        double analytic = 0;
        double scale = 0;
        for (int i = 0; i < dq.length; i++) {
            analytic += dq[i] * v[i];
            scale += Math.abs(dq[i] * v[i]);
        }
        assertEquals(numeric, analytic, 1e-4 * scale + 1e-6, "directional derivative, b " + b + " terms " + terms);
    }

    @Test
    void oneTermIsConstant() {
        final float[] dq = OPS.cayleyVjp(new float[] {0.3f, -0.2f, 0.1f}, null, TestData.toFloat(TestData.gaussian(9, 1, 1)), 1, 3,
                CayleyVariant.neumannSeries(1));
        for (float x : dq) {
            assertEquals(0f, x);
        }
    }

    @Test
    void exactNeedsTheForwardOutput() {
        assertThrows(KernelException.class, () -> OPS.cayleyVjp(new float[3], null, new float[9], 1, 3, CayleyVariant.EXACT));
    }
}
