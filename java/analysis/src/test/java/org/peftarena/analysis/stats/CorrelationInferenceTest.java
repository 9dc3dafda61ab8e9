package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorrelationInferenceTest {
    private static final Bootstrap.Options OPTIONS = new Bootstrap.Options(1000, 0.95, 5);

    @Test
    void pooledEstimateCarriesTheHandComputedValuesAndPValues() {
        double[] x = {1, 2, 2, 3};
        double[] y = {1, 3, 2, 4};
        CorrelationEstimate e = CorrelationInference.pooled(x, y, OPTIONS);
        // ties: ranks of x are 1, 2.5, 2.5, 4; centred ranks give sxy = 4.5, sxx = 4.5, syy = 5
        assertEquals(4.5 / Math.sqrt(22.5), e.spearman(), 1e-12);
        // Pearson: dx = -1, 0, 0, 1; dy = -1.5, 0.5, -0.5, 1.5: sxy = 3, sxx = 2, syy = 5
        assertEquals(3 / Math.sqrt(10), e.pearson(), 1e-12);
        // n = 4: p = 1 - |r|
        assertEquals(1 - e.pearson(), e.pearsonP(), 1e-10);
        assertEquals(1 - e.spearman(), e.spearmanP(), 1e-10);
        assertEquals(4, e.n());
        assertEquals(0, e.groups());
    }

    @Test
    void intervalsCoverTheEstimateOfANoisyLine() {
        SplittableRandom rnd = new SplittableRandom(2);
        double[] x = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = i + 15 * (rnd.nextDouble() - 0.5);
        }
        CorrelationEstimate e = CorrelationInference.pooled(x, y, OPTIONS);
        assertTrue(e.pearsonCi().contains(e.pearson()) && e.pearsonCi().above(0.5) && e.pearsonCi().upper() <= 1,
                e.toString());
        assertTrue(e.spearmanCi().contains(e.spearman()), e.toString());
        assertTrue(e.pearsonP() < 1e-6);
        CorrelationEstimate exact = CorrelationInference.pooled(x, x, OPTIONS);
        assertEquals(1, exact.pearsonCi().lower(), 1e-12);
        assertEquals(1, exact.pearsonCi().upper(), 1e-12);
    }

    @Test
    void withinGroupCorrelationRemovesTheGroupMeans() {
        // pooled: large positive (group B is far up and right); within: x = -1, 0, 1 in each group,
        // y = 1, 0, -1 and 10, 0, -10: sxy = -22, sxx = 4, syy = 202
        double[] x = {1, 2, 3, 10, 11, 12, 100};
        double[] y = {3, 2, 1, 30, 20, 10, 100};
        int[] g = GroupCentering.indices(List.of("A", "A", "A", "B", "B", "B", "C"));
        assertTrue(CorrelationInference.pooled(x, y, OPTIONS).pearson() > 0.9);
        CorrelationEstimate w = CorrelationInference.withinGroups(x, y, g, OPTIONS);
        assertEquals(-22 / Math.sqrt(808), w.pearson(), 1e-12);
        assertEquals(6, w.n(), "the singleton group C carries no within-group information");
        assertEquals(2, w.groups());
        assertEquals(StudentT.correlationP(w.pearson(), 3), w.pearsonP(), 1e-12);
    }

    @Test
    void withinGroupBootstrapRecentresEveryResample() {
        // y = -x + a group offset: the within-group correlation is exactly -1 in every resample
        double[] x = {1, 2, 3, 4, 10, 12, 14};
        double[] y = {9, 8, 7, 6, 50, 48, 46};
        int[] g = {0, 0, 0, 0, 1, 1, 1};
        CorrelationEstimate w = CorrelationInference.withinGroups(x, y, g, OPTIONS);
        assertEquals(-1, w.pearson(), 1e-12);
        assertEquals(-1, w.pearsonCi().lower(), 1e-12);
        assertEquals(-1, w.pearsonCi().upper(), 1e-12);
        assertEquals(-1, w.spearman(), 1e-12);
    }

    @Test
    void centringSubtractsEachGroupsMean() {
        assertEquals(List.of(-1.0, 1.0, 0.0), java.util.Arrays.stream(
                GroupCentering.centre(new double[] {1, 3, 5}, new int[] {0, 0, 1})).boxed().toList());
    }
}
