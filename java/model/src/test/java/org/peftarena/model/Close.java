package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise {@code |a - e| <= atol + rtol |e|} with a message naming the worst element. */
final class Close {
    private Close() {
    }

    static void assertClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            maxAbs = Math.max(maxAbs, err);
            double excess = err - (atol + rtol * Math.abs(expected[i]));
            if (excess > worstExcess || Double.isNaN(actual[i])) {
                worstExcess = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d is %.9g, expected %.9g (max abs error %.3g, rtol %.1g, atol %.1g)",
                    what, worst, actual[worst], expected[worst], maxAbs, rtol, atol));
        }
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
