package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] s = {1, 2, 3, 4, 5};
        assertEquals(2, Bootstrap.quantile(s, 0.25), 1e-15);
        assertEquals(1.4, Bootstrap.quantile(s, 0.1), 1e-15);
        assertEquals(5, Bootstrap.quantile(s, 1), 1e-15);
        Bootstrap.Interval i = Bootstrap.percentile(new double[] {5, 1, Double.NaN, 4, 2, 3}, 0.5);
        assertEquals(2, i.lower(), 1e-15);
        assertEquals(4, i.upper(), 1e-15);
        assertFalse(Bootstrap.percentile(new double[] {Double.NaN}, 0.9).defined());
    }

    @Test
    void meanOfTwoValuesHasTheHandComputedBootstrapDistribution() {
        // resamples of {0, 1}: mean 0 (1/4), 0.5 (1/2), 1 (1/4)
        double[] x = {0, 1};
        Bootstrap.Interval wide = Bootstrap.interval(x, BootstrapTest::mean, new Bootstrap.Options(4000, 0.95, 3));
        assertEquals(0, wide.lower(), 1e-15);
        assertEquals(1, wide.upper(), 1e-15);
        Bootstrap.Interval narrow = Bootstrap.interval(x, BootstrapTest::mean, new Bootstrap.Options(4000, 0.4, 3));
        assertEquals(0.5, narrow.lower(), 1e-15);
        assertEquals(0.5, narrow.upper(), 1e-15);
        double[] reps = Bootstrap.replicates(2, new Bootstrap.Options(8000, 0.95, 11), idx -> mean(Bootstrap.select(x, idx)));
        double half = Arrays.stream(reps).filter(v -> v == 0.5).count() / (double) reps.length;
        assertEquals(0.5, half, 0.03);
    }

    @Test
    void theSameSeedGivesTheSameReplicatesAndAnotherSeedDifferentOnes() {
        double[] x = {3, 1, 4, 1, 5, 9, 2, 6};
        double[] a = Bootstrap.replicates(x.length, new Bootstrap.Options(50, 0.9, 7), i -> mean(Bootstrap.select(x, i)));
        double[] b = Bootstrap.replicates(x.length, new Bootstrap.Options(50, 0.9, 7), i -> mean(Bootstrap.select(x, i)));
        double[] c = Bootstrap.replicates(x.length, new Bootstrap.Options(50, 0.9, 8), i -> mean(Bootstrap.select(x, i)));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void aSingleObservationGivesADegenerateInterval() {
        Bootstrap.Interval i = Bootstrap.interval(new double[] {7}, BootstrapTest::mean, Bootstrap.Options.DEFAULT);
        assertEquals(7, i.lower(), 0);
        assertEquals(7, i.upper(), 0);
        assertTrue(i.contains(7) && !i.above(7) && !i.below(7));
    }

    @Test
    void stratifiedResamplesStayInTheirStratum() {
        int[] strata = {0, 0, 1, 1, 1, 2};
        SplittableRandom rnd = new SplittableRandom(1);
        for (int b = 0; b < 100; b++) {
            int[] idx = Bootstrap.resampleWithin(strata, rnd);
            for (int i = 0; i < idx.length; i++) {
                assertEquals(strata[i], strata[idx[i]]);
            }
            assertEquals(5, idx[5]);
        }
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap.Options(0, 0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap.Options(10, 1, 1));
    }
}
