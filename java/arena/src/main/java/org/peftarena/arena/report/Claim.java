package org.peftarena.arena.report;

/**
 * One claim of the study and its status on this report's runs.
 *
 * @param id           short name, e.g. {@code a}
 * @param statement    the claim
 * @param verdict      {@link #REPRODUCED}, {@link #NOT_REPRODUCED} or {@link #INCONCLUSIVE}
 * @param n            observations the verdict rests on (what they are is in {@code effectName})
 * @param effectName   what the effect measures, with its unit
 * @param effect       the effect size, or null when there is nothing to measure
 * @param low          lower end of its interval, or null
 * @param high         upper end of its interval, or null
 * @param intervalName what the interval is (e.g. a 95% bootstrap interval over runs)
 * @param rule         the rule that turns the numbers into the verdict
 * @param detail       the numbers behind the verdict, in words
 */
public record Claim(String id, String statement, String verdict, int n, String effectName, Double effect, Double low,
                    Double high, String intervalName, String rule, String detail) {
    /** The data support the claim under its rule. */
    public static final String REPRODUCED = "reproduced";
    /** The data contradict the claim under its rule. */
    public static final String NOT_REPRODUCED = "not reproduced";
    /** The data cannot decide (too few runs, intervals too wide, or no data). */
    public static final String INCONCLUSIVE = "inconclusive";
}
