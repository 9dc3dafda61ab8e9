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
 * @param toleranceSe      Target standard errors the operating point may lose (the larger of the two tolerances applies)
 */
public record PostHocSection(String rule, String ruleDescription, double targetTolerance, double generalThreshold,
                             List<RunPath> paths, List<OvershootRow> overshoot, List<RewindRow> rewinding,
                             double toleranceSe) {
    /** Copies the lists. */
    public PostHocSection {
        paths = List.copyOf(paths);
        overshoot = List.copyOf(overshoot);
        rewinding = List.copyOf(rewinding);
    }

    /** A section with the default tolerance in standard errors. */
    public PostHocSection(String rule, String ruleDescription, double targetTolerance, double generalThreshold,
                          List<RunPath> paths, List<OvershootRow> overshoot, List<RewindRow> rewinding) {
        this(rule, ruleDescription, targetTolerance, generalThreshold, paths, overshoot, rewinding,
                org.peftarena.analysis.interp.OvershootOptions.DEFAULT_TOLERANCE_SE);
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
     * @param targetSes     standard error of each Target (null where unknown)
     * @param generalSes    standard error of each General (null where unknown)
     * @param updateScales  {@code normF(W(alpha) - W0) / normF(W(1) - W0)} at each alpha (null where unknown)
     */
    public record RunPath(String runId, String method, String budget, String target, String kind, boolean baseline,
                          List<Double> alphas, List<Double> targetScores, List<Double> generalScores,
                          List<Double> targetSes, List<Double> generalSes, List<Double> updateScales) {
        /** Copies the lists (which may hold nulls). */
        public RunPath {
            alphas = List.copyOf(alphas);
            targetScores = List.copyOf(targetScores);
            generalScores = List.copyOf(generalScores);
            targetSes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(targetSes));
            generalSes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(generalSes));
            updateScales = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(updateScales));
        }
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
     * @param selectedOn   the split the point was selected on ({@code validation}, or {@code test} without validation scores)
     * @param tolerance    the Target tolerance applied, in points
     * @param updateScale  the selected point's update scale, or null
     * @param generatorScale the OFT generator scale of the selected point ({@code sqrt(alpha)} on the Cayley path), or null
     * @param targetSe     standard error of the selected Target (test split), or null
     * @param generalSe    standard error of the selected General (test split), or null
     */
    public record OvershootRow(String runId, String method, String budget, String target, String kind, double alpha,
                               double targetScore, double generalScore, double finalTarget, double finalGeneral,
                               double dTarget, double dGeneral, boolean overshoot, String selectedOn, double tolerance,
                               Double updateScale, Double generatorScale, Double targetSe, Double generalSe) {
        /** A row selected on test scores without standard errors or scales. */
        public OvershootRow(String runId, String method, String budget, String target, String kind, double alpha,
                            double targetScore, double generalScore, double finalTarget, double finalGeneral,
                            double dTarget, double dGeneral, boolean overshoot) {
            this(runId, method, budget, target, kind, alpha, targetScore, generalScore, finalTarget, finalGeneral, dTarget,
                    dGeneral, overshoot, org.peftarena.analysis.interp.OvershootResult.TEST, Double.NaN, null, null, null,
                    null);
        }
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
     * @param targetSe     standard error of its Target, or null
     * @param generalSe    standard error of its General, or null
     * @param updateScale  {@code normF(W - W0) / normF(W1 - W0)} of the rewound model, or null
     * @param cayleyAlpha  for the uniform recipe, the Cayley-path alpha its generator scale lies at (factor squared), or null
     * @param warning      why the recipe may not mean anything on this model (SafeRho on a shallow model), or null
     */
    public record RewindRow(String runId, String method, String budget, String target, String recipe, Double rhoStar,
                            List<Double> factors, double targetScore, double generalScore, Double dTarget,
                            Double dGeneral, Double targetSe, Double generalSe, Double updateScale, Double cayleyAlpha,
                            String warning) {
        /** A row without standard errors, scales or warning. */
        public RewindRow(String runId, String method, String budget, String target, String recipe, Double rhoStar,
                         List<Double> factors, double targetScore, double generalScore, Double dTarget,
                         Double dGeneral) {
            this(runId, method, budget, target, recipe, rhoStar, factors, targetScore, generalScore, dTarget, dGeneral,
                    null, null, null, null, null);
        }
    }
}
