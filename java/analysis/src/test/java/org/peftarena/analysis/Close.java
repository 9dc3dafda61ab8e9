package org.peftarena.analysis;

import static org.junit.jupiter.api.Assertions.fail;

/** Tolerance assertions: {@code abs(a - e) <= atol + rtol * abs(e)}, reporting the worst entry. */
public final class Close {
    private Close() {}

    public static void scalar(double expected, double actual, double rtol, double atol, String what) {
        if (!(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected))) {
            fail(what + ": expected " + expected + ", got " + actual + " (abs err " + Math.abs(actual - expected)
                    + ", rtol " + rtol + ", atol " + atol + ")");
        }
    }

    public static void vector(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
            if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            fail(what + ": length " + expected.length + ", worst index " + worst + " expected " + expected[worst]
                    + " got " + actual[worst] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    /** Normwise relative check {@code norm2(a - e) <= rtol * norm2(e) + atol}. */
    public static void normwise(double[] expected, double[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            ref += expected[i] * expected[i];
        }
        diff = Math.sqrt(diff);
        ref = Math.sqrt(ref);
        if (!(diff <= rtol * ref + atol)) {
            fail(what + ": normwise error " + diff + " vs reference norm " + ref + " (rtol " + rtol + ")");
        }
    }
}
