package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.stats.NoisyFrontier;

/** The frontier under noise takes each run's stored standard errors. */
class FrontierMembershipErrorsTest {
    private static RunRow row(String id, String method, double target, double general, ScoreErrors errors) {
        return new RunRow(id, "finetune", "finished", method, "r2", 2, 100, "t", 1, target, general, 1.0, 2.0, false,
                false, 1, 1, 2, 100, 100.0, Map.of(), 1, "/x", 1e-3, 10, 100L, errors);
    }

    @Test
    void aRunDominatedByLessThanItsErrorsIsNotMarkedDominated() {
        ScoreErrors wide = new ScoreErrors(2.0, 2.0, null, null, Map.of());
        // b is dominated by a by one point on each axis
        List<RunRow> withErrors = List.of(row("a", "lora", 31, 41, wide), row("b", "oft", 30, 40, wide));
        List<RunRow> without = List.of(row("a", "lora", 31, 41, null), row("b", "oft", 30, 40, null));

        assertEquals(2.0, FrontierMembership.point(withErrors.get(1)).xSe());
        assertTrue(Double.isNaN(FrontierMembership.point(without.get(1)).xSe()), "no stored error is unknown");
        List<NoisyFrontier.Status> noisy = NoisyFrontier.status(
                withErrors.stream().map(FrontierMembership::point).toList(), NoisyFrontier.DEFAULT_Z);
        List<NoisyFrontier.Status> exact = NoisyFrontier.status(
                without.stream().map(FrontierMembership::point).toList(), NoisyFrontier.DEFAULT_Z);
        assertEquals(NoisyFrontier.Status.DOMINATED, exact.get(1));
        assertEquals(NoisyFrontier.Status.WITHIN_ERRORS, noisy.get(1));
    }
}
