package org.peftarena.arena.report;

import java.util.List;

/**
 * The report's interpolation, overshoot and rewinding sections: every run's path from the base
 * model (alpha 0) to its final checkpoint (alpha 1) on Target and General, computed in-engine or
 * imported, the operating point of each path under the named rule, and the rewinding table of OFT
 * runs. The training path of a run is its {@link Trajectory}, drawn with its interpolation path.
 *
 * @param rule             the operating-point rule's name
 * @param ruleDescription  what the rule selects
 * @param targetTolerance  Target points the operating point may lose
 * @param generalThreshold General points an earlier operating point must gain to flag overshoot
 * @param paths            every path with at least two points
 * @param overshoot        one row per run path (not baselines) that reaches alpha 1
 * @param rewinding        the rewound models of OFT runs
 */
public record PostHocSection(String rule, String ruleDescription, double targetTolerance, double generalThreshold,
                             List<RunPath> paths, List<OvershootRow> overshoot, List<RewindRow> rewinding) {
    /** Copies the lists. */
    public PostHocSection {
        paths = List.copyOf(paths);
        overshoot = List.copyOf(overshoot);
        rewinding = List.copyOf(rewinding);
    }

    /**
     * Target and General of one run along alpha.
     *
     * @param runId         the run
     * @param method        method name
     * @param budget        budget band
     * @param target        target task
     * @param kind          {@code cayley}, {@code linear}, {@code dense} (in-engine) or {@code imported}
     * @param baseline      whether this is a baseline path (OFT's dense-delta path) rather than the run's own
     * @param alphas        the coefficients, increasing
     * @param targetScores  Target at each alpha
     * @param generalScores General at each alpha
     */
    public record RunPath(String runId, String method, String budget, String target, String kind, boolean baseline,
                          List<Double> alphas, List<Double> targetScores, List<Double> generalScores) {
    }

    /**
     * The operating point of one run's path.
     *
     * @param runId        the run
     * @param method       method name
     * @param budget       budget band
     * @param target       target task
     * @param kind         the path
     * @param alpha        the selected alpha
     * @param targetScore  Target there
     * @param generalScore General there
     * @param finalTarget  Target of the final checkpoint (alpha 1)
     * @param finalGeneral General of the final checkpoint
     * @param dTarget      selected minus final Target, points
     * @param dGeneral     selected minus final General, points
     * @param overshoot    whether the run overshoots (an earlier point gains more than the threshold)
     */
    public record OvershootRow(String runId, String method, String budget, String target, String kind, double alpha,
                               double targetScore, double generalScore, double finalTarget, double finalGeneral,
                               double dTarget, double dGeneral, boolean overshoot) {
    }

    /**
     * One rewound model of an OFT run.
     *
     * @param runId        the run
     * @param method       method name
     * @param budget       budget band
     * @param target       target task
     * @param recipe       {@code uniform 0.4}, {@code safe-rho}, {@code min-rho}
     * @param rhoStar      the target rotation strength, or null for the uniform recipe
     * @param factors      the factor of each adapted block
     * @param targetScore  the rewound model's Target
     * @param generalScore its General
     * @param dTarget      its Target minus the final checkpoint's, or null
     * @param dGeneral     its General minus the final checkpoint's, or null
     */
    public record RewindRow(String runId, String method, String budget, String target, String recipe, Double rhoStar,
                            List<Double> factors, double targetScore, double generalScore, Double dTarget,
                            Double dGeneral) {
    }
}
