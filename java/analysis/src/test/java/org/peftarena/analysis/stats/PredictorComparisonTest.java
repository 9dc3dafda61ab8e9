package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PredictorComparisonTest {
    private static final Bootstrap.Options OPTIONS = new Bootstrap.Options(1000, 0.95, 9);

    @Test
    void aCloseProxyBeatsAnUnrelatedOneAndNotTheOtherWayRound() {
        SplittableRandom rnd = new SplittableRandom(4);
        int n = 30;
        double[] y = new double[n];
        double[] good = new double[n];
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i;
            good[i] = -i + 3 * rnd.nextDouble();
            noise[i] = rnd.nextDouble();
        }
        PredictorComparison.Result r = PredictorComparison.compare(good, noise, y, OPTIONS);
        assertEquals(Math.abs(Correlation.pearson(good, y)), r.absA(), 1e-15);
        assertEquals(r.absA() - r.absB(), r.difference(), 1e-15);
        assertTrue(r.interval().above(0), r.toString());
        assertTrue(r.pValue() < 0.01, r.toString());
        PredictorComparison.Result back = PredictorComparison.compare(noise, good, y, OPTIONS);
        assertTrue(back.interval().below(0) && back.pValue() > 0.99, back.toString());
    }

    @Test
    void identicalPredictorsAreNeverBetter() {
        double[] y = {1, 3, 2, 5, 4, 6};
        double[] a = {2, 1, 4, 3, 6, 5};
        PredictorComparison.Result r = PredictorComparison.compare(a, a.clone(), y, OPTIONS);
        assertEquals(0, r.difference(), 0);
        assertEquals(1, r.pValue(), 0, "every replicate has d = 0 <= 0");
        assertEquals(0, r.interval().lower(), 0);
        assertEquals(0, r.interval().upper(), 0);
    }
}
