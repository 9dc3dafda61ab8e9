package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The unbiased pass@k estimator against the closed form 1 - C(n-c, k) / C(n, k) and an enumeration of subsets. */
class PassAtKTest {
    private static double binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /** Fraction of the k-subsets of n samples (the first c correct) that hold a correct one. */
    private static double enumerated(int n, int c, int k) {
        int hit = 0;
        int all = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) == k) {
                all++;
                hit += (mask & ((1 << c) - 1)) != 0 ? 1 : 0;
            }
        }
        return (double) hit / all;
    }

    @Test
    void equalsTheClosedFormAndTheEnumeration() {
        for (int n = 1; n <= 10; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    double closed = 1 - binomial(n - c, k) / binomial(n, k);
                    assertEquals(closed, PassAtK.estimate(n, c, k), 1e-12, "n=" + n + " c=" + c + " k=" + k);
                    assertEquals(enumerated(n, c, k), PassAtK.estimate(n, c, k), 1e-12, "n=" + n + " c=" + c + " k=" + k);
                }
            }
        }
    }

    @Test
    void knownCases() {
        assertEquals(3.0 / 16, PassAtK.estimate(16, 3, 1), 1e-15);
        assertEquals(1.0, PassAtK.estimate(16, 1, 16), 0.0);
        assertEquals(0.0, PassAtK.estimate(16, 0, 8), 0.0);
        // n = 16, c = 2, k = 8: 1 - C(14, 8) / C(16, 8) = 1 - 3003 / 12870
        assertEquals(1 - 3003.0 / 12870, PassAtK.estimate(16, 2, 8), 1e-12);
        assertEquals(1 - binomial(190, 64) / binomial(200, 64), PassAtK.estimate(200, 10, 64), 1e-9);
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 1, 0));
    }

    @Test
    void theStandardErrorOfPassAtOneIsTheSpreadOfThePerProblemEstimates() {
        // estimates 1 and 0: sample standard deviation sqrt(0.5), over sqrt(2) problems: 0.5
        RlEvaluation.Scores s = new RlEvaluation.Scores(50, java.util.Map.of(1, 50.0), 16, 2, java.util.List.of(1, 0),
                java.util.List.of(16, 0));
        org.junit.jupiter.api.Assertions.assertEquals(50.0, s.passAtOneStandardError(), 1e-12);
        // estimates 0.25, 0.5, 0.75: sd 0.25, over sqrt(3)
        s = new RlEvaluation.Scores(0, java.util.Map.of(1, 50.0), 4, 3, java.util.List.of(0, 0, 0), java.util.List.of(1, 2, 3));
        org.junit.jupiter.api.Assertions.assertEquals(100 * 0.25 / Math.sqrt(3), s.passAtOneStandardError(), 1e-12);
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(new RlEvaluation.Scores(0, java.util.Map.of(), 4, 1,
                java.util.List.of(0), java.util.List.of(1)).passAtOneStandardError()), "one problem has no spread");
    }
}
