package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NoisyFrontierTest {
    private static final Bootstrap.Options OPTIONS = new Bootstrap.Options(4000, 0.95, 13);

    @Test
    void withoutErrorsMembershipIsThePlainFrontier() {
        List<ScoredPoint> p = List.of(ScoredPoint.of("a", 10, 50, "a"), ScoredPoint.of("b", 20, 40, "b"),
                ScoredPoint.of("c", 15, 30, "c"), ScoredPoint.of("d", 20, 40, "d"));
        List<NoisyFrontier.Membership> m = NoisyFrontier.fromStandardErrors(p, 1, OPTIONS);
        assertEquals(List.of(1.0, 1.0, 0.0, 1.0), m.stream().map(NoisyFrontier.Membership::frequency).toList());
        assertEquals(List.of(NoisyFrontier.Status.FRONTIER, NoisyFrontier.Status.FRONTIER,
                NoisyFrontier.Status.DOMINATED, NoisyFrontier.Status.FRONTIER),
                m.stream().map(NoisyFrontier.Membership::status).toList());
        assertFalse(m.get(0).errors());
    }

    @Test
    void nearbyNoisyPointsShareTheFrontierAtTheGaussianRate() {
        // p dominated by q by 0.1 on each axis, both with SE 1: q dominates p in a draw with
        // probability Phi(0.1 / sqrt 2)^2 = 0.2790; p dominates q with (1 - 0.5282)^2 = 0.2226
        List<ScoredPoint> pts = List.of(new ScoredPoint("p", 10, 1, 50, 1, "p"),
                new ScoredPoint("q", 10.1, 1, 50.1, 1, "q"), new ScoredPoint("far", 0, 1, 0, 1, "far"));
        List<NoisyFrontier.Membership> m = NoisyFrontier.fromStandardErrors(pts, 1, OPTIONS);
        assertEquals(1 - 0.2790, m.get(0).frequency(), 0.03);
        assertEquals(1 - 0.2226, m.get(1).frequency(), 0.03);
        assertEquals(0, m.get(2).frequency(), 0);
        assertEquals(NoisyFrontier.Status.WITHIN_ERRORS, m.get(0).status());
        assertEquals(NoisyFrontier.Status.FRONTIER, m.get(1).status());
        assertEquals(NoisyFrontier.Status.DOMINATED, m.get(2).status());
        assertTrue(m.get(0).errors());
    }

    @Test
    void beyondErrorsNeedsTheMarginOnBothAxes() {
        ScoredPoint p = new ScoredPoint("p", 10, 1, 50, 1, "p");
        // combined SE sqrt 2 = 1.414 per axis at z = 1
        assertTrue(NoisyFrontier.dominatesBeyondErrors(new ScoredPoint("q", 11.5, 1, 51.5, 1, "q"), p, 1));
        assertFalse(NoisyFrontier.dominatesBeyondErrors(new ScoredPoint("q", 11.3, 1, 60, 1, "q"), p, 1));
        assertTrue(NoisyFrontier.dominatesBeyondErrors(new ScoredPoint("q", 11.3, 1, 60, 1, "q"), p, 0.5));
    }

    @Test
    void seedResamplingGivesTheHandComputedFrequencies() {
        // A's resampled mean is (10,50) 1/4, (11,51) 1/2, (12,52) 1/4; D sits at (11.2, 51.2) and
        // C is below every resample of A; B has the best Target always
        List<ScoredPoint> runs = List.of(ScoredPoint.of("a1", 10, 50, "A"), ScoredPoint.of("a2", 12, 52, "A"),
                ScoredPoint.of("b1", 20, 10, "B"), ScoredPoint.of("b2", 20, 10, "B"),
                ScoredPoint.of("c1", 5, 40, "C"), ScoredPoint.of("c2", 5, 40, "C"),
                ScoredPoint.of("d1", 11.2, 51.2, "D"), ScoredPoint.of("d2", 11.2, 51.2, "D"));
        List<NoisyFrontier.Membership> m = NoisyFrontier.fromRuns(runs, 1, OPTIONS);
        assertEquals(List.of("A", "B", "C", "D"), m.stream().map(NoisyFrontier.Membership::id).toList());
        assertEquals(0.25, m.get(0).frequency(), 0.03);
        assertEquals(1, m.get(1).frequency(), 0);
        assertEquals(0, m.get(2).frequency(), 0);
        assertEquals(0.75, m.get(3).frequency(), 0.03);
        assertEquals(NoisyFrontier.Status.WITHIN_ERRORS, m.get(0).status(), "D beats A's mean by 0.2 < 1 SE");
        assertEquals(NoisyFrontier.Status.DOMINATED, m.get(2).status());
        ScoredPoint a = NoisyFrontier.groupMeans(runs).get(0);
        assertEquals(1, a.xSe(), 1e-12);
        assertEquals(11, a.x(), 1e-12);
    }

    @Test
    void aSingleRunMovesWithinItsOwnStandardErrors() {
        // one run per group: the run's SEs are the only noise, as for fromStandardErrors
        List<ScoredPoint> runs = List.of(new ScoredPoint("p", 10, 1, 50, 1, "P"),
                new ScoredPoint("q", 10.1, 1, 50.1, 1, "Q"));
        List<NoisyFrontier.Membership> m = NoisyFrontier.fromRuns(runs, 1, OPTIONS);
        assertEquals(1 - 0.2790, m.get(0).frequency(), 0.03);
        assertEquals(NoisyFrontier.Status.WITHIN_ERRORS, m.get(0).status());
        assertEquals(1, NoisyFrontier.groupMeans(runs).get(0).xSe(), 0);
    }
}
