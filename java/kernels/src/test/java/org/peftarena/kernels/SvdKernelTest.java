package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peftarena.kernels.Tolerances.Check.SVD_ORTHOGONALITY;
import static org.peftarena.kernels.Tolerances.Check.SVD_RECONSTRUCTION;
import static org.peftarena.kernels.Tolerances.Check.SVD_VALUES;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.kernels.Tolerances.Precision;
import org.peftarena.kernels.reference.SvdReference;

class SvdKernelTest {
    private static final KernelOps OPS = KernelOps.cpu();

    static Stream<Arguments> shapes() {
        return Stream.of(new int[][] {
            {1, 1}, {1, 32}, {32, 1}, {1, 128}, {128, 1}, {2, 2}, {5, 17}, {17, 5}, {31, 31}, {32, 32}, {33, 33},
            {31, 33}, {64, 64}, {64, 16}, {16, 64}, {128, 32}, {32, 128}, {128, 128}, {100, 3}, {41, 41}})
                .map(s -> Arguments.of(s[0], s[1]));
    }

    private static int batchFor(int m, int n) {
        return m * n >= 64 * 64 ? 2 : 11; // 11: not a multiple of the lane count
    }

    @ParameterizedTest(name = "{0}x{1}")
    @MethodSource("shapes")
    void fp32ValuesVectorsAndInvariants(int m, int n) {
        final long seed = 17L * m + n;
        final int batch = batchFor(m, n);
        final double[] a = TestData.toDouble(TestData.toFloat(TestData.gaussian(batch * m * n, seed, 1.0)));
        final SvdResult r = OPS.svd(TestData.toFloat(a), batch, m, n, true);
        SvdChecks.verify(a, batch, m, n, TestData.toDouble(r.s()), TestData.toDouble(r.u()), TestData.toDouble(r.vt()), Precision.F32, seed);
        final SvdResult values = OPS.svd(TestData.toFloat(a), batch, m, n, false);
        Close.assertClose("values-only vs full", TestData.toDouble(r.s()), TestData.toDouble(values.s()),
                Tolerances.of(SVD_VALUES, Precision.F32), m + "x" + n, seed);
        assertTrue(values.u() == null && values.vt() == null);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @MethodSource("shapes")
    void fp64ValuesVectorsAndInvariants(int m, int n) {
        final long seed = 1000L + 17L * m + n;
        final int batch = batchFor(m, n);
        final double[] a = TestData.gaussian(batch * m * n, seed, 1.0);
        final SvdResultF64 r = OPS.svd(a, batch, m, n, true);
        SvdChecks.verify(a, batch, m, n, r.s(), r.u(), r.vt(), Precision.F64, seed);
    }

    @Test
    void diagonalMatrixHasItsSortedAbsoluteDiagonal() {
        final int n = 6;
        final double[] diag = {3.0, -7.5, 0.0, 1e-3, 2.0, -0.25};
        final double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = diag[i];
        }
        final double[] expected = {7.5, 3.0, 2.0, 0.25, 1e-3, 0.0};
        final SvdResultF64 r = OPS.svd(a, 1, n, n, true);
        Close.assertClose("diagonal SVD values", expected, r.s(), Tolerances.of(SVD_VALUES, Precision.F64), "6x6", 0);
        SvdChecks.verify(a, 1, n, n, r.s(), r.u(), r.vt(), Precision.F64, 0);
        final SvdResult r32 = OPS.svd(TestData.toFloat(a), 1, n, n, true);
        SvdChecks.verify(a, 1, n, n, TestData.toDouble(r32.s()), TestData.toDouble(r32.u()), TestData.toDouble(r32.vt()), Precision.F32, 0);
    }

    static Stream<Arguments> deficientShapes() {
        return Stream.of(Arguments.of(8, 8), Arguments.of(32, 32), Arguments.of(20, 7), Arguments.of(7, 20), Arguments.of(64, 64));
    }

    @ParameterizedTest(name = "{0}x{1}")
    @MethodSource("deficientShapes")
    void rankDeficientInputsStillGiveOrthonormalVectors(int m, int n) {
        final long seed = 5L * m + n;
        final int batch = 3;
        final double[] a = TestData.toDouble(TestData.toFloat(TestData.gaussian(batch * m * n, seed, 1.0)));
        java.util.Arrays.fill(a, 0, m * n, 0.0); // item 0: the zero matrix
        for (int i = 0; i < m; i++) { // item 1: zero column 0, duplicate of column 1 in column 2
            a[m * n + i * n] = 0.0;
            if (n > 2) {
                a[m * n + i * n + 2] = a[m * n + i * n + 1];
            }
        }
        for (int i = 0; i < m; i++) { // item 2: rank one
            for (int j = 0; j < n; j++) {
                a[2 * m * n + i * n + j] = (i + 1.0) * (j % 3 - 1.0);
            }
        }
        final SvdResult r = OPS.svd(TestData.toFloat(a), batch, m, n, true);
        SvdChecks.verify(a, batch, m, n, TestData.toDouble(r.s()), TestData.toDouble(r.u()), TestData.toDouble(r.vt()), Precision.F32, seed);
        final SvdResultF64 r64 = OPS.svd(a, batch, m, n, true);
        SvdChecks.verify(a, batch, m, n, r64.s(), r64.u(), r64.vt(), Precision.F64, seed);
        assertArrayEquals(new double[Math.min(m, n)], java.util.Arrays.copyOf(r64.s(), Math.min(m, n)), "zero matrix has zero singular values");
    }

    @Test
    void scaleInvariantForHugeAndTinyEntries() {
        final int m = 9;
        final long seed = 3;
        final double[] a = TestData.gaussian(2 * m * m, seed, 1.0);
        for (int i = 0; i < m * m; i++) {
            a[i] *= 1e30;
            a[m * m + i] *= 1e-30;
        }
        final SvdResult r = OPS.svd(TestData.toFloat(a), 2, m, m, true);
        SvdChecks.verify(TestData.toDouble(TestData.toFloat(a)), 2, m, m, TestData.toDouble(r.s()), TestData.toDouble(r.u()),
                TestData.toDouble(r.vt()), Precision.F32, seed);
    }

    /** Reference singular values only (the shared check also compares them). */
    @Test
    void referenceAgreesWithKnownSingularValues() {
        // [[3, 0], [4, 5]] has singular values sqrt(45) and sqrt(5).
        final double[] s = SvdReference.singularValues(new double[] {3, 0, 4, 5}, 1, 2, 2);
        Close.assertClose("reference 2x2", new double[] {Math.sqrt(45), Math.sqrt(5)}, s, Tolerances.of(SVD_VALUES, Precision.F64), "2x2", 0);
        assertTrue(Tolerances.of(SVD_RECONSTRUCTION, Precision.F32).atol() <= 1e-5 && Tolerances.of(SVD_ORTHOGONALITY, Precision.F32).atol() <= 1e-5);
    }
}
