package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.peftarena.kernels.Tolerances.Check.GENERIC_VS_AVX2;
import static org.peftarena.kernels.Tolerances.Precision.F32;
import static org.peftarena.kernels.Tolerances.Precision.F64;

import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The baseline SIMD path (pa_cpu_force_generic) computes the same results as the dispatched one. */
class GenericCpuPathTest {
    private static final KernelOps OPS = KernelOps.cpu();

    @AfterEach
    void restore() {
        KernelOps.forceGenericCpu(false);
    }

    private static <T> T onGeneric(Supplier<T> call) {
        KernelOps.forceGenericCpu(true);
        try {
            assertEquals("generic", KernelOps.cpuPath());
            return call.get();
        } finally {
            KernelOps.forceGenericCpu(false);
        }
    }

    @Test
    void pathNamesDiffer() {
        final String best = KernelOps.cpuPath();
        final String generic = onGeneric(KernelOps::cpuPath);
        assertEquals("generic", generic);
        if (!best.equals("generic")) {
            assertNotEquals(best, generic);
        }
    }

    @Test
    void everyKernelAgrees() {
        final long seed = 21;
        final float[] q = TestData.toFloat(TestData.gaussian(5 * 33 * 32 / 2, seed, 0.1));
        for (CayleyVariant v : new CayleyVariant[] {CayleyVariant.EXACT, CayleyVariant.NEUMANN_5}) {
            Close.assertClose("cayley " + v, TestData.toDouble(OPS.cayley(q, 5, 33, v, 1f)),
                    TestData.toDouble(onGeneric(() -> OPS.cayley(q, 5, 33, v, 1f))), Tolerances.of(GENERIC_VS_AVX2, F32), "[5,33,33]", seed);
        }
        final double[] qd = TestData.gaussian(3 * 16 * 15 / 2, seed, 0.1);
        Close.assertClose("cayley f64", OPS.cayley(qd, 3, 16, CayleyVariant.EXACT, 1.0),
                onGeneric(() -> OPS.cayley(qd, 3, 16, CayleyVariant.EXACT, 1.0)), Tolerances.of(GENERIC_VS_AVX2, F64), "[3,16,16]", seed);

        final float[] x = TestData.toFloat(TestData.gaussian(37 * 96, seed, 1.0));
        for (int b : new int[] {3, 8, 32, 96}) {
            final float[] r = TestData.toFloat(TestData.gaussian(96 * b, seed + b, 0.2));
            Close.assertClose("block rotate b=" + b, TestData.toDouble(OPS.blockRotate(x, 37, 96, r, b, true)),
                    TestData.toDouble(onGeneric(() -> OPS.blockRotate(x, 37, 96, r, b, true))), Tolerances.of(GENERIC_VS_AVX2, F32), "[37,96]", seed);
        }

        final float[] a = TestData.toFloat(TestData.gaussian(10 * 24 * 20, seed, 1.0));
        final SvdResult best = OPS.svd(a, 10, 24, 20, true);
        final SvdResult generic = onGeneric(() -> OPS.svd(a, 10, 24, 20, true));
        Close.assertClose("svd values", TestData.toDouble(best.s()), TestData.toDouble(generic.s()), Tolerances.of(GENERIC_VS_AVX2, F32), "[10,24,20]", seed);
        SvdChecks.verify(TestData.toDouble(a), 10, 24, 20, TestData.toDouble(generic.s()), TestData.toDouble(generic.u()),
                TestData.toDouble(generic.vt()), Tolerances.Precision.F32, seed);

        final float[] m = TestData.toFloat(TestData.gaussian(200 * 200, seed, 1.0));
        final double viaBest = OPS.procrustesResidualFromCross(m, 200, 1e6, 1e6);
        final double viaGeneric = onGeneric(() -> OPS.procrustesResidualFromCross(m, 200, 1e6, 1e6));
        Close.assertClose("residual from cross", new double[] {viaBest}, new double[] {viaGeneric}, Tolerances.of(GENERIC_VS_AVX2, F64), "[200,200]", seed);
    }
}
