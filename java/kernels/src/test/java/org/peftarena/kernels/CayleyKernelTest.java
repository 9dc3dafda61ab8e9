package org.peftarena.kernels;

import static org.peftarena.kernels.Tolerances.Check.CAYLEY_EXACT;
import static org.peftarena.kernels.Tolerances.Check.CAYLEY_NEUMANN;
import static org.peftarena.kernels.Tolerances.Check.CAYLEY_ORTHOGONALITY;
import static org.peftarena.kernels.Tolerances.Precision.F32;
import static org.peftarena.kernels.Tolerances.Precision.F64;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.kernels.reference.CayleyReference;
import org.peftarena.kernels.reference.Dense;

class CayleyKernelTest {
    private static final KernelOps OPS = KernelOps.cpu();
    private static final int[] BLOCKS = {2, 3, 16, 31, 32, 33, 64, 128};
    private static final int[] TERMS = {0, 1, 2, 3, 4, 5, 6, 8, 10, 17, 64};

    static Stream<Arguments> cases() {
        final List<Arguments> out = new ArrayList<>();
        for (int b : BLOCKS) {
            for (int terms : TERMS) {
                out.add(Arguments.of(b, terms));
            }
        }
        return out.stream();
    }

    /** Generators scaled so ||Q|| stays ~1 at every block size (entries ~ 0.5 / sqrt(b)). */
    private static double[] generators(int batch, int b, long seed) {
        return TestData.gaussian(batch * b * (b - 1) / 2, seed, 0.5 / Math.sqrt(b));
    }

    private static int batchFor(int b) {
        return b >= 64 ? 2 : 5;
    }

    @ParameterizedTest(name = "b={0} terms={1}")
    @MethodSource("cases")
    void fp32MatchesReference(int b, int terms) {
        final long seed = 100L * b + terms;
        final int batch = batchFor(b);
        final double[] q = generators(batch, b, seed);
        final float scale = 0.75f;
        final CayleyVariant v = new CayleyVariant(terms);
        final float[] r = OPS.cayley(TestData.toFloat(q), batch, b, v, scale);
        final double[] qf = TestData.toDouble(TestData.toFloat(q));
        final double[] ref = terms == 0 ? CayleyReference.exact(qf, batch, b, scale) : CayleyReference.neumann(qf, batch, b, terms, scale);
        Close.assertClose("cayley f32 " + v, ref, TestData.toDouble(r), Tolerances.of(terms == 0 ? CAYLEY_EXACT : CAYLEY_NEUMANN, F32),
                "[" + batch + "," + b + "," + b + "]", seed);
    }

    @ParameterizedTest(name = "b={0} terms={1}")
    @MethodSource("cases")
    void fp64MatchesReference(int b, int terms) {
        final long seed = 7000L + 100L * b + terms;
        final int batch = batchFor(b);
        final double[] q = generators(batch, b, seed);
        final CayleyVariant v = new CayleyVariant(terms);
        final double[] r = OPS.cayley(q, batch, b, v, 1.0);
        final double[] ref = terms == 0 ? CayleyReference.exact(q, batch, b, 1.0) : CayleyReference.neumann(q, batch, b, terms, 1.0);
        Close.assertClose("cayley f64 " + v, ref, r, Tolerances.of(terms == 0 ? CAYLEY_EXACT : CAYLEY_NEUMANN, F64),
                "[" + batch + "," + b + "," + b + "]", seed);
    }

    @ParameterizedTest(name = "b={0}")
    @ValueSource(ints = {2, 3, 16, 31, 32, 33, 64, 128})
    void exactIsAProperRotation(int b) {
        final long seed = 31L * b;
        final int batch = 3;
        final double[] q = generators(batch, b, seed);
        final double[] r64 = OPS.cayley(q, batch, b, CayleyVariant.EXACT, 1.0);
        final double[] r32 = TestData.toDouble(OPS.cayley(TestData.toFloat(q), batch, b, CayleyVariant.EXACT, 1.0f));
        for (int it = 0; it < batch; it++) {
            final String shape = "block " + it + " of [" + batch + "," + b + "," + b + "]";
            Close.assertSmall("orthogonality f64", TestData.orthogonalityError(r64, it * b * b, b, b), Tolerances.of(CAYLEY_ORTHOGONALITY, F64), shape, seed);
            Close.assertSmall("orthogonality f32", TestData.orthogonalityError(r32, it * b * b, b, b), Tolerances.of(CAYLEY_ORTHOGONALITY, F32), shape, seed);
            final double det = Dense.determinant(Dense.load(r64, it * b * b, b, b));
            Close.assertSmall("|det R - 1|", Math.abs(det - 1.0), Tolerances.of(CAYLEY_ORTHOGONALITY, F64), shape, seed);
        }
    }

    @Test
    void twoByTwoClosedForm() {
        // Q = [[0, q], [-q, 0]]: (I - Q)(I + Q)^-1 = [[1 - q^2, -2q], [2q, 1 - q^2]] / (1 + q^2).
        for (double q : new double[] {0.0, 0.3, -1.7, 5.0}) {
            final double[] r = OPS.cayley(new double[] {q}, 1, 2, CayleyVariant.EXACT, 1.0);
            final double d = 1 + q * q;
            final double[] expected = {(1 - q * q) / d, -2 * q / d, 2 * q / d, (1 - q * q) / d};
            Close.assertClose("2x2 closed form q=" + q, expected, r, Tolerances.of(CAYLEY_EXACT, F64), "[1,2,2]", 0);
        }
    }

    @Test
    void neumannApproximatesTheTransposeOfExact() {
        final int b = 16;
        final long seed = 5;
        final double[] q = TestData.gaussian(b * (b - 1) / 2, seed, 0.01);
        final double[] exact = OPS.cayley(q, 1, b, CayleyVariant.EXACT, 1.0);
        final double[] series = OPS.cayley(q, 1, b, CayleyVariant.neumannSeries(12), 1.0);
        Close.assertClose("Neumann(12) vs exact^T", TestData.transpose(exact, 0, b, b), series, new Tolerances.Tol(0, 1e-12,
                "series truncation ~||2Q||^11 for ||Q|| ~ 0.05"), "[1,16,16]", seed);
    }

    @Test
    void scaleMultipliesTheGenerator() {
        final int b = 8;
        final long seed = 9;
        final double[] q = TestData.gaussian(b * (b - 1) / 2, seed, 0.2);
        final double[] q3 = q.clone();
        for (int i = 0; i < q3.length; i++) {
            q3[i] *= 0.3;
        }
        Close.assertClose("cayley(0.3 Q) vs cayley(Q, scale 0.3)", OPS.cayley(q3, 1, b, CayleyVariant.EXACT, 1.0),
                OPS.cayley(q, 1, b, CayleyVariant.EXACT, 0.3), Tolerances.of(CAYLEY_EXACT, F64), "[1,8,8]", seed);
    }

    @Test
    void emptyBatchIsFine() {
        org.junit.jupiter.api.Assertions.assertEquals(0, OPS.cayley(new float[0], 0, 4, CayleyVariant.EXACT, 1f).length);
    }
}
