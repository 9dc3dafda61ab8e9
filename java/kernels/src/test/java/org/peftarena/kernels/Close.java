package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/** Tolerance assertions that report shape, worst index, max abs/rel error and seed on failure. */
final class Close {
    private Close() {}

    /** Asserts |actual - expected| <= atol + rtol |expected| element-wise. */
    static void assertClose(String what, double[] expected, double[] actual, Tolerances.Tol tol, String shape, long seed) {
        if (expected.length != actual.length) {
            fail(what + " " + shape + " seed " + seed + ": length " + actual.length + " != expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0.0;
        double maxAbs = 0.0;
        double maxRel = 0.0;
        for (int i = 0; i < expected.length; i++) {
            final double err = Math.abs(actual[i] - expected[i]);
            final double bound = tol.atol() + tol.rtol() * Math.abs(expected[i]);
            maxAbs = Math.max(maxAbs, err);
            if (expected[i] != 0.0) {
                maxRel = Math.max(maxRel, err / Math.abs(expected[i]));
            }
            final double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - bound;
            if (excess > worstExcess || (Double.isNaN(err) && worst < 0)) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s %s seed %d: worst index %d expected %.9g got %.9g; max abs err %.3e, max rel err %.3e;"
                    + " tolerance rtol %.1e atol %.1e (%s)", what, shape, seed, worst, expected[worst], actual[worst],
                    maxAbs, maxRel, tol.rtol(), tol.atol(), tol.reason()));
        }
    }

    /** Asserts a scalar error measure is within atol (for invariants such as orthogonality). */
    static void assertSmall(String what, double error, Tolerances.Tol tol, String shape, long seed) {
        if (!(error <= tol.atol())) {
            fail(String.format("%s %s seed %d: error %.3e exceeds %.1e (%s)", what, shape, seed, error, tol.atol(), tol.reason()));
        }
    }
}
