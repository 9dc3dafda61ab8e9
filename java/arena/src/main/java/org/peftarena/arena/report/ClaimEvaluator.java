package org.peftarena.arena.report;

/**
 * Tests one claim against a report. Evaluators read the report's runs, frontiers, post-hoc and
 * diagnostics sections (its claims are not yet set) and never fail: missing data is inconclusive.
 */
@FunctionalInterface
public interface ClaimEvaluator {
    /**
     * @param report the report, without claims
     * @return the claim's status
     */
    Claim evaluate(ArenaReport report);
}
