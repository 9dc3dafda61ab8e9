package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments give the typed exception with a message naming the problem, never a crash. */
class KernelArgumentTest {
    private static final KernelOps OPS = KernelOps.cpu();
    private static final float NAN = Float.NaN;

    private static Arguments bad(String name, Class<? extends KernelException> type, KernelStatus status, String fragment, Executable call) {
        return Arguments.of(name, type, status, fragment, call);
    }

    static Stream<Arguments> cases() {
        final float[] q6 = new float[6];
        final float[] x = new float[4 * 8];
        final float[] r = new float[2 * 16];
        return Stream.of(
            bad("cayley null q", KernelArgumentException.class, KernelStatus.NULL_POINTER, "'q'",
                () -> OPS.cayley((float[]) null, 1, 4, CayleyVariant.EXACT, 1f)),
            bad("cayley negative batch", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "batch",
                () -> OPS.cayley(q6, -1, 4, CayleyVariant.EXACT, 1f)),
            bad("cayley b out of range", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "2..128",
                () -> OPS.cayley(new float[129 * 128 / 2], 1, 129, CayleyVariant.EXACT, 1f)),
            bad("cayley b = 1", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "2..128",
                () -> OPS.cayley(new float[0], 1, 1, CayleyVariant.EXACT, 1f)),
            bad("cayley short q", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "needs 12",
                () -> OPS.cayley(q6, 2, 4, CayleyVariant.EXACT, 1f)),
            bad("cayley NaN q", NonFiniteInputException.class, KernelStatus.NON_FINITE, "q[3]",
                () -> OPS.cayley(new float[] {0, 0, 0, NAN, 0, 0}, 1, 4, CayleyVariant.EXACT, 1f)),
            bad("cayley NaN scale", NonFiniteInputException.class, KernelStatus.NON_FINITE, "scale",
                () -> OPS.cayley(q6, 1, 4, CayleyVariant.neumannSeries(5), NAN)),
            bad("cayley overflow", NonFiniteInputException.class, KernelStatus.NON_FINITE, "not finite",
                () -> OPS.cayley(new float[] {3e38f, 0, 0, 0, 0, 0}, 1, 4, CayleyVariant.neumannSeries(5), 1e10f)),
            bad("cayley f64 NaN", NonFiniteInputException.class, KernelStatus.NON_FINITE, "q[0]",
                () -> OPS.cayley(new double[] {Double.NaN}, 1, 2, CayleyVariant.EXACT, 1.0)),
            bad("neumann zero terms", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "terms",
                () -> CayleyVariant.neumannSeries(0)),
            bad("variant too many terms", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "terms",
                () -> new CayleyVariant(65)),
            bad("rotate b does not divide n", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "does not divide",
                () -> OPS.blockRotate(x, 4, 8, r, 3, false)),
            bad("rotate negative rows", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "rows",
                () -> OPS.blockRotate(x, -4, 8, r, 4, false)),
            bad("rotate null r", KernelArgumentException.class, KernelStatus.NULL_POINTER, "'r'",
                () -> OPS.blockRotate(x, 4, 8, null, 4, false)),
            bad("rotate short x", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "'x'",
                () -> OPS.blockRotate(new float[10], 4, 8, r, 4, false)),
            bad("rotate stride < n", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "stride",
                () -> OPS.blockRotate(x, 4, 8, 7, r, 4, false, new float[32], 8)),
            bad("rotate in place", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "in place",
                () -> OPS.blockRotate(x, 4, 8, 8, r, 4, false, x, 8)),
            bad("rotate NaN r", NonFiniteInputException.class, KernelStatus.NON_FINITE, "r[",
                () -> OPS.blockRotate(x, 4, 8, new float[] {NAN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 4, false)),
            bad("svd m = 0", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "1 <= m, n <= 128",
                () -> OPS.svd(new float[4], 1, 0, 4, true)),
            bad("svd n > 128", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "1 <= m, n <= 128",
                () -> OPS.svd(new float[129], 1, 1, 129, true)),
            bad("svd negative batch", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "batch",
                () -> OPS.svd(new float[4], -2, 2, 2, false)),
            bad("svd null a", KernelArgumentException.class, KernelStatus.NULL_POINTER, "'a'",
                () -> OPS.svd((float[]) null, 1, 2, 2, false)),
            bad("svd Inf a", NonFiniteInputException.class, KernelStatus.NON_FINITE, "a[2]",
                () -> OPS.svd(new float[] {1, 2, Float.POSITIVE_INFINITY, 4}, 1, 2, 2, true)),
            bad("svd f64 NaN", NonFiniteInputException.class, KernelStatus.NON_FINITE, "a[0]",
                () -> OPS.svd(new double[] {Double.NaN}, 1, 1, 1, true)),
            bad("procrustes d = 0", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "d = 0",
                () -> OPS.procrustes(new float[4], new float[4], 1, 4, 0, true)),
            bad("procrustes NaN x0", NonFiniteInputException.class, KernelStatus.NON_FINITE, "x0[1]",
                () -> OPS.procrustes(new float[4], new float[] {0, NAN, 0, 0}, 1, 2, 2, false)),
            bad("procrustes null x1", KernelArgumentException.class, KernelStatus.NULL_POINTER, "'x1'",
                () -> OPS.procrustes(null, new float[4], 1, 2, 2, false)),
            bad("residual NaN m", NonFiniteInputException.class, KernelStatus.NON_FINITE, "m[0]",
                () -> OPS.procrustesResidualFromCross(new float[] {NAN}, 1, 1, 1)),
            bad("residual negative norm", NonFiniteInputException.class, KernelStatus.NON_FINITE, "x1_sq",
                () -> OPS.procrustesResidualFromCross(new float[] {1}, 1, -1, 1)),
            bad("residual d = 0", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "d = 0",
                () -> OPS.procrustesResidualFromCross(new float[1], 0, 1, 1)),
            bad("residual null address", KernelArgumentException.class, KernelStatus.NULL_POINTER, "'m'",
                () -> OPS.procrustesResidualFromCross(0L, 4, 1, 1)),
            bad("cayley null address", KernelArgumentException.class, KernelStatus.NULL_POINTER, "'q'",
                () -> OPS.cayley(0L, 1, 4, CayleyVariant.EXACT, 1f, 0L)),
            bad("threads negative", KernelArgumentException.class, KernelStatus.INVALID_SIZE, "n = -1",
                () -> KernelOps.setNumThreads(-1)),
            bad("null backend", KernelArgumentException.class, KernelStatus.NULL_POINTER, "backend",
                () -> KernelOps.create(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badArgumentsThrowTypedExceptions(String name, Class<? extends KernelException> type, KernelStatus status, String fragment, Executable call) {
        final KernelException e = assertThrows(type, call, name);
        assertEquals(status, e.status(), name);
        assertTrue(e.getMessage().contains(fragment), name + ": message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void failedCallLeavesOutputUntouchedAndLaterCallsWork() {
        final float[] y = new float[32];
        java.util.Arrays.fill(y, 5f);
        assertThrows(KernelArgumentException.class, () -> OPS.blockRotate(new float[32], 4, 8, 8, new float[32], 3, false, y, 8));
        for (float v : y) {
            assertEquals(5f, v);
        }
        assertEquals(16, OPS.cayley(new float[6], 1, 4, CayleyVariant.EXACT, 1f).length);
    }
}
