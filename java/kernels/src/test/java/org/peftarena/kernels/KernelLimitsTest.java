package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.kernels.jni.PeftArenaNative;

/** Each reported limit is the edge the kernels enforce: accepted at the limit, rejected one past it. */
class KernelLimitsTest {
    private static final int OK = KernelStatus.OK.code();
    private static final int SIZE = KernelStatus.INVALID_SIZE.code();

    /** name, limit, status of a call with that size. */
    static Stream<Arguments> edges() {
        return Stream.of(
                Arguments.of("cayley min block", KernelLimits.CAYLEY_MIN_BLOCK, -1, (IntUnaryOperator) KernelLimitsTest::cayley),
                Arguments.of("cayley max block", KernelLimits.CAYLEY_MAX_BLOCK, 1, (IntUnaryOperator) KernelLimitsTest::cayley),
                Arguments.of("cayley vjp max block", KernelLimits.CAYLEY_MAX_BLOCK, 1, (IntUnaryOperator) KernelLimitsTest::cayleyVjp),
                Arguments.of("neumann terms", KernelLimits.CAYLEY_MAX_NEUMANN_TERMS, 1, (IntUnaryOperator) KernelLimitsTest::neumannTerms),
                Arguments.of("rotate min block", KernelLimits.ROTATE_MIN_BLOCK, -1, (IntUnaryOperator) KernelLimitsTest::rotate),
                Arguments.of("rotate max block", KernelLimits.ROTATE_MAX_BLOCK, 1, (IntUnaryOperator) KernelLimitsTest::rotate),
                Arguments.of("cross max block", KernelLimits.ROTATE_MAX_BLOCK, 1, (IntUnaryOperator) KernelLimitsTest::cross),
                Arguments.of("svd max dim", KernelLimits.SVD_MAX_DIM, 1, (IntUnaryOperator) KernelLimitsTest::svd),
                Arguments.of("procrustes max dim", KernelLimits.PROCRUSTES_MAX_DIM, 1, (IntUnaryOperator) KernelLimitsTest::procrustes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void limitIsTheEdgeTheKernelsEnforce(String name, int limit, int outward, IntUnaryOperator call) {
        assertEquals(OK, call.applyAsInt(limit), name + " at " + limit + ": " + lastError());
        assertEquals(SIZE, call.applyAsInt(limit + outward), name + " at " + (limit + outward));
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void residualRejectsOnePastItsLimit() {
        try (PointerScope scope = new PointerScope()) {
            final int st = PeftArenaNative.pa_procrustes_residual_from_cross_f32(new FloatPointer(1L), KernelLimits.RESIDUAL_MAX_DIM + 1,
                    1.0, 1.0, new DoublePointer(1L));
            assertEquals(SIZE, st, lastError());
        }
    }

    @Test
    void unknownLimitIdsAreMinusOne() {
        assertEquals(-1, PeftArenaNative.pa_limit(-1));
        assertEquals(-1, PeftArenaNative.pa_limit(1000));
    }

    private static String lastError() {
        return PeftArenaNative.pa_last_error().getString();
    }

    private static long packed(int b) {
        return Math.max(1L, (long) b * (b - 1) / 2);
    }

    private static long square(int b) {
        return Math.max(1L, (long) b * b);
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int cayley(int b) {
        try (PointerScope scope = new PointerScope()) {
            return PeftArenaNative.pa_cayley_f32(new FloatPointer(packed(b)).zero(), 1, b, 5, 1f, new FloatPointer(square(b)));
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int cayleyVjp(int b) {
        try (PointerScope scope = new PointerScope()) {
            return PeftArenaNative.pa_cayley_vjp_f32(new FloatPointer(packed(b)).zero(), null, new FloatPointer(square(b)).zero(), 1, b,
                    5, new FloatPointer(packed(b)));
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int neumannTerms(int terms) {
        try (PointerScope scope = new PointerScope()) {
            return PeftArenaNative.pa_cayley_f32(new FloatPointer(1L).zero(), 1, 2, terms, 1f, new FloatPointer(4L));
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int rotate(int b) {
        try (PointerScope scope = new PointerScope()) {
            final long n = Math.max(1, b);
            return PeftArenaNative.pa_block_rotate_f32(new FloatPointer(n).zero(), 1, n, n, new FloatPointer(square(b)).zero(), b, 0,
                    new FloatPointer(n), n);
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int cross(int b) {
        try (PointerScope scope = new PointerScope()) {
            final long n = Math.max(1, b);
            return PeftArenaNative.pa_block_cross_f32(new FloatPointer(n).zero(), 1, n, n, new FloatPointer(n).zero(), n, b,
                    new FloatPointer(square(b)));
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int svd(int n) {
        try (PointerScope scope = new PointerScope()) {
            return PeftArenaNative.pa_svd_batched_f32(new FloatPointer(n).zero(), 1, 1, n, new FloatPointer(1L), null, null);
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static int procrustes(int d) {
        try (PointerScope scope = new PointerScope()) {
            return PeftArenaNative.pa_procrustes_batched_f32(new FloatPointer(d).zero(), new FloatPointer(d).zero(), 1, 1, d, null,
                    new FloatPointer(1L));
        }
    }
}
