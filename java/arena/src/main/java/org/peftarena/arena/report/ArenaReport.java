package org.peftarena.arena.report;

import java.util.List;
import java.util.Map;

/**
 * Everything a report shows, computed from the run registry.
 *
 * @param title         heading
 * @param generatedAt   ISO-8601 time of generation
 * @param bases         base model scores per target
 * @param runs          every run with scores, and those pending or failed
 * @param groups        runs grouped over seeds
 * @param frontiers     Pareto frontiers per target and budget band
 * @param trajectories  Target and General along training
 * @param alphaPaths    imported interpolation paths
 * @param timing        wall times and throughputs
 * @param postHoc       interpolation paths, operating points and rewinding, or null when no run has them
 * @param diagnostics   geometry diagnostics of the runs, or null when no run has any
 * @param families      method name to family (one chart marker per family)
 * @param frontierNoise frontier membership of every group under noise, per target and band
 * @param claims        the study's claims on these runs, or null when not evaluated
 * @param taskMetrics   each task's score metric (teacher-forced next-token accuracy, exact match)
 * @param regimes       RL runs next to SFT runs: frontier per regime, pass@k per method and against the base (null when not built)
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"title", "generated_at", "claims"})
public record ArenaReport(String title, String generatedAt, List<BaseRow> bases, List<RunRow> runs,
                          List<MethodGroup> groups, List<FrontierSet> frontiers, List<Trajectory> trajectories,
                          List<AlphaPath> alphaPaths, ReportTiming timing, PostHocSection postHoc,
                          DiagnosticsSection diagnostics, Map<String, String> families,
                          List<FrontierMembership> frontierNoise, ClaimsSection claims,
                          Map<String, String> taskMetrics, RegimeSection regimes) {
    /** A report without the regime section. */
    public ArenaReport(String title, String generatedAt, List<BaseRow> bases, List<RunRow> runs,
                       List<MethodGroup> groups, List<FrontierSet> frontiers, List<Trajectory> trajectories,
                       List<AlphaPath> alphaPaths, ReportTiming timing, PostHocSection postHoc,
                       DiagnosticsSection diagnostics, Map<String, String> families,
                       List<FrontierMembership> frontierNoise, ClaimsSection claims, Map<String, String> taskMetrics) {
        this(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing, postHoc, diagnostics,
                families, frontierNoise, claims, taskMetrics, null);
    }

    /** A report without post-hoc analysis or diagnostics. */
    public ArenaReport(String title, String generatedAt, List<BaseRow> bases, List<RunRow> runs,
                       List<MethodGroup> groups, List<FrontierSet> frontiers, List<Trajectory> trajectories,
                       List<AlphaPath> alphaPaths, ReportTiming timing) {
        this(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing, null, null);
    }

    /** A report with the given sections, its families and frontier membership computed, claims not evaluated. */
    public ArenaReport(String title, String generatedAt, List<BaseRow> bases, List<RunRow> runs,
                       List<MethodGroup> groups, List<FrontierSet> frontiers, List<Trajectory> trajectories,
                       List<AlphaPath> alphaPaths, ReportTiming timing, PostHocSection postHoc,
                       DiagnosticsSection diagnostics) {
        this(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing, postHoc, diagnostics,
                MethodFamily.of(runs.stream().map(RunRow::method).collect(java.util.stream.Collectors.toSet())),
                FrontierMembership.of(runs, groups), null, Map.of());
    }

    /** @return this report with its claims evaluated by the given evaluators */
    public ArenaReport withClaims(List<ClaimEvaluator> evaluators) {
        return new ArenaReport(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing,
                postHoc, diagnostics, families, frontierNoise, ClaimsSection.evaluate(this, evaluators), taskMetrics,
                regimes);
    }

    /** @return this report naming each task's score metric */
    public ArenaReport withTaskMetrics(Map<String, String> metrics) {
        return new ArenaReport(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing,
                postHoc, diagnostics, families, frontierNoise, claims, Map.copyOf(metrics), regimes);
    }

    /** @return this report with its regime section (RL runs next to SFT runs) */
    public ArenaReport withRegimes(RegimeSection section) {
        return new ArenaReport(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing,
                postHoc, diagnostics, families, frontierNoise, claims, taskMetrics, section);
    }

    /** @return one sentence naming each task's score metric, or an empty string when none is known */
    public String metricsSentence() {
        if (taskMetrics == null || taskMetrics.isEmpty()) {
            return "";
        }
        return "Scores: " + String.join("; ", new java.util.TreeMap<>(taskMetrics).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList()) + "; Target and General are means of their "
                + "tasks' scores.";
    }
}
