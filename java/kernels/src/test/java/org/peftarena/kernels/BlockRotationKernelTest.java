package org.peftarena.kernels;

import static org.peftarena.kernels.Tolerances.Check.BLOCK_ROTATE;
import static org.peftarena.kernels.Tolerances.Precision.F32;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.kernels.reference.BlockRotationReference;

class BlockRotationKernelTest {
    private static final KernelOps OPS = KernelOps.cpu();

    static Stream<Arguments> cases() {
        final List<Arguments> out = new ArrayList<>();
        final int[][] shapes = { // {rows, b, nblocks}
            {1, 1, 3}, {1, 2, 5}, {31, 3, 4}, {32, 8, 3}, {33, 16, 2}, {7, 24, 2}, {33, 31, 2}, {64, 32, 3},
            {5, 33, 2}, {300, 32, 2}, {17, 64, 2}, {9, 128, 2}, {3, 40, 1}};
        for (int[] s : shapes) {
            for (boolean transpose : new boolean[] {false, true}) {
                out.add(Arguments.of(s[0], s[1], s[2], transpose));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "rows={0} b={1} blocks={2} transpose={3}")
    @MethodSource("cases")
    void matchesReference(int rows, int b, int nblocks, boolean transpose) {
        final long seed = 1000L * rows + 10L * b + (transpose ? 1 : 0);
        final int n = b * nblocks;
        final double[] x = TestData.gaussian(rows * n, seed, 1.0);
        final double[] r = TestData.gaussian(nblocks * b * b, seed + 1, 1.0 / Math.sqrt(b));
        final float[] y = OPS.blockRotate(TestData.toFloat(x), rows, n, TestData.toFloat(r), b, transpose);
        final double[] ref = BlockRotationReference.apply(TestData.toDouble(TestData.toFloat(x)), rows, n, n,
                TestData.toDouble(TestData.toFloat(r)), b, transpose);
        Close.assertClose("block rotate", ref, TestData.toDouble(y), Tolerances.of(BLOCK_ROTATE, F32),
                "x [" + rows + "," + n + "], b " + b, seed);
    }

    @ParameterizedTest(name = "cross rows={0} b={1} blocks={2}")
    @MethodSource("cases")
    void crossMatchesReference(int rows, int b, int nblocks, boolean unused) {
        if (unused) {
            return; // the cases come in transpose pairs; the cross product has no transpose
        }
        final long seed = 5000L * rows + 10L * b;
        final int n = b * nblocks;
        final float[] x = TestData.toFloat(TestData.gaussian(rows * n, seed, 1.0));
        final float[] g = TestData.toFloat(TestData.gaussian(rows * n, seed + 1, 1.0));
        final float[] got = OPS.blockCross(x, rows, n, g, b);
        final double[] ref = BlockRotationReference.cross(TestData.toDouble(x), rows, n, n, TestData.toDouble(g), n, b);
        // a sum over rows: the float32 error grows with sqrt(rows)
        final double[] scaled = new double[ref.length];
        final double[] gotScaled = new double[ref.length];
        final double norm = Math.sqrt(Math.max(1, rows));
        for (int i = 0; i < ref.length; i++) {
            scaled[i] = ref[i] / norm;
            gotScaled[i] = got[i] / norm;
        }
        Close.assertClose("block cross", scaled, gotScaled, Tolerances.of(BLOCK_ROTATE, F32), "x, g [" + rows + "," + n + "], b " + b, seed);
    }

    @Test
    void crossIsTheGradientOfTheRotation() {
        // <g, x R> is linear in R with gradient X^T G: check by a finite difference along a random direction
        final int rows = 40;
        final int b = 16;
        final int n = 48;
        final double[] x = TestData.toDouble(TestData.toFloat(TestData.gaussian(rows * n, 3, 1.0)));
        final double[] g = TestData.toDouble(TestData.toFloat(TestData.gaussian(rows * n, 4, 1.0)));
        final double[] dir = TestData.gaussian(3 * b * b, 5, 1.0);
        final double[] y = BlockRotationReference.apply(x, rows, n, n, dir, b, false);
        double directional = 0;
        for (int i = 0; i < y.length; i++) {
            directional += g[i] * y[i];
        }
        final float[] cross = OPS.blockCross(TestData.toFloat(x), rows, n, TestData.toFloat(g), b);
        double dot = 0;
        for (int i = 0; i < cross.length; i++) {
            dot += cross[i] * dir[i];
        }
        org.junit.jupiter.api.Assertions.assertEquals(directional, dot, 1e-4 * Math.abs(directional) + 1e-3);
    }

    @Test
    void crossRejectsABlockSizeThatDoesNotDivide() {
        final KernelArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(KernelArgumentException.class,
                () -> OPS.blockCross(new float[30], 3, 10, new float[30], 4));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
    }

    @Test
    void rowStridesAreHonouredAndPaddingUntouched() {
        final int rows = 13;
        final int b = 16;
        final int n = 48;
        final int xs = 53;
        final int ys = 50;
        final long seed = 77;
        final double[] x = TestData.gaussian((rows - 1) * xs + n, seed, 1.0);
        final double[] r = TestData.gaussian(3 * b * b, seed + 1, 0.25);
        final float[] y = new float[(rows - 1) * ys + n];
        java.util.Arrays.fill(y, 42f);
        OPS.blockRotate(TestData.toFloat(x), rows, n, xs, TestData.toFloat(r), b, false, y, ys);
        final double[] ref = BlockRotationReference.apply(TestData.toDouble(TestData.toFloat(x)), rows, n, xs,
                TestData.toDouble(TestData.toFloat(r)), b, false);
        final double[] got = new double[rows * n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                got[i * n + j] = y[i * ys + j];
            }
            for (int j = n; j < ys && i < rows - 1; j++) {
                org.junit.jupiter.api.Assertions.assertEquals(42f, y[i * ys + j], "padding of row " + i + " was written");
            }
        }
        Close.assertClose("strided block rotate", ref, got, Tolerances.of(BLOCK_ROTATE, F32), "x [13,48] stride 53 -> 50", seed);
    }

    @Test
    void identityBlocksCopy() {
        final int b = 32;
        final int n = 64;
        final float[] r = new float[2 * b * b];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < b; i++) {
                r[j * b * b + i * b + i] = 1f;
            }
        }
        final float[] x = TestData.toFloat(TestData.gaussian(5 * n, 3, 1.0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(x, OPS.blockRotate(x, 5, n, r, b, true));
    }
}
