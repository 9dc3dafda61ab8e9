package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The claims a report opens with, each evaluated by its own {@link ClaimEvaluator}; new regimes add
 * evaluators to the list.
 *
 * @param claims one per evaluator, in order
 */
public record ClaimsSection(List<Claim> claims) {
    /** One sentence on how to read the section. */
    public static final String PREAMBLE = "Each claim is tested on this report's runs by the rule written next to it: "
            + "reproduced when the data support it beyond their uncertainty, not reproduced when they contradict it, "
            + "inconclusive when they cannot decide. Intervals are 95% percentile bootstrap intervals unless stated.";

    /** Copies the list. */
    public ClaimsSection {
        claims = List.copyOf(claims);
    }

    /**
     * @param report     the report without claims
     * @param evaluators the claims to test
     * @return their statuses; an evaluator that throws yields an inconclusive claim naming the error
     */
    public static ClaimsSection evaluate(ArenaReport report, List<ClaimEvaluator> evaluators) {
        List<Claim> out = new ArrayList<>();
        for (ClaimEvaluator e : evaluators) {
            try {
                out.add(e.evaluate(report));
            } catch (RuntimeException ex) {
                out.add(new Claim("?", e.getClass().getSimpleName(), Claim.INCONCLUSIVE, 0, "-", null, null, null, "-",
                        "-", "could not be evaluated: " + ex.getMessage()));
            }
        }
        return new ClaimsSection(out);
    }
}
