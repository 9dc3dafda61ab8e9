package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;

/**
 * The two training regimes side by side: which regimes the report holds, the Pareto frontier of
 * each (over its targets' method groups), and for the RL regime the pass@k of every method group
 * (means over seeds) with Δpass@k against the base model on the same target.
 *
 * @param regimes   the regimes with runs, in order ({@code sft}, {@code rl})
 * @param frontiers regime to the frontiers of its targets (all bands)
 * @param bases     base models on the RL targets: target to k to pass@k (percent)
 * @param baseSe    base models on the RL targets: target to the standard error of pass@1 (percent), where known
 * @param rl        RL method groups with their pass@k and Δpass@k
 * @param note      what the post-hoc stages mean for RL runs
 */
public record RegimeSection(List<String> regimes, Map<String, List<FrontierSet>> frontiers,
                            Map<String, Map<Integer, Double>> bases, Map<String, Double> baseSe, List<RlGroup> rl, String note) {
    /** What the interpolation path, rewinding and diagnostics of an RL run score. */
    public static final String RL_NOTE = "RL runs get the same trajectory, interpolation path, overshoot analysis, "
            + "rewinding and diagnostics as SFT runs; on their paths Target is the greedy exact match of the RL target "
            + "(pass@k is stored for the final models). pass@1 and Δpass@1 carry ± one standard error over the problems "
            + "(Δpass@1: sqrt(se^2 + se_base^2), conservative since the base is scored on the same problems).";

    /**
     * One RL method group.
     *
     * @param key          the group key
     * @param method       method name
     * @param budget       budget band
     * @param target       the RL target
     * @param learningRate peak learning rate, or null
     * @param runs         runs with pass@k
     * @param greedy       mean greedy exact match (Target)
     * @param general      mean General
     * @param passAtK      k to mean pass@k (percent)
     * @param deltaPassAtK k to mean pass@k minus the base model's, or empty without a base
     * @param passAtOneSe  standard error of the mean pass@1 (percent) over the problems, and over the runs when
     *                     there are several; null when a run has none
     * @param deltaPassAtOneSe standard error of Δpass@1, {@code sqrt(se^2 + se_base^2)} (conservative: the base is
     *                     scored on the same problems), or null
     */
    public record RlGroup(String key, String method, String budget, String target, Double learningRate, int runs,
                          double greedy, double general, Map<Integer, Double> passAtK, Map<Integer, Double> deltaPassAtK,
                          Double passAtOneSe, Double deltaPassAtOneSe) {
    }

    static RegimeSection build(List<RunRecord> records, Map<String, List<ScoreRow>> rows, List<RunRow> runs,
                               List<MethodGroup> groups, List<FrontierSet> frontiers) {
        TreeSet<String> regimes = new TreeSet<>(java.util.Comparator.comparing(r -> r.equals(RunSpec.SFT) ? 0 : 1));
        Map<String, String> targetRegime = new TreeMap<>();
        for (RunRow r : runs) {
            regimes.add(r.regime());
            targetRegime.putIfAbsent(r.target(), r.regime());
        }
        Map<String, List<FrontierSet>> byRegime = new LinkedHashMap<>();
        for (String regime : regimes) {
            byRegime.put(regime, frontiers.stream().filter(f -> f.band().equals(FrontierSet.ALL_BANDS)
                    && regime.equals(targetRegime.get(f.target()))).toList());
        }
        Map<String, Map<Integer, Double>> bases = new TreeMap<>();
        Map<String, Double> baseSe = new TreeMap<>();
        for (RunRecord r : records) {
            if (r.kind() == RunKind.BASE && RunSpec.RL.equals(RunSpecFields.of(r).regime())) {
                Map<Integer, Double> p = passAtK(rows.get(r.id()));
                if (!p.isEmpty()) {
                    bases.put(r.target(), p);
                    Double se = passAtOneSe(rows.get(r.id()));
                    if (se != null) {
                        baseSe.put(r.target(), se);
                    }
                }
            }
        }
        Map<String, Map<Integer, Double>> byRun = new LinkedHashMap<>();
        for (RunRecord r : records) {
            byRun.put(r.id(), passAtK(rows.get(r.id())));
        }
        List<RlGroup> rl = new ArrayList<>();
        for (MethodGroup g : groups) {
            List<Map<Integer, Double>> of = g.runIds().stream().map(byRun::get)
                    .filter(m -> m != null && !m.isEmpty()).toList();
            if (of.isEmpty() || !RunSpec.RL.equals(targetRegime.get(g.target()))) {
                continue;
            }
            Map<Integer, Double> mean = new TreeMap<>();
            for (Integer k : of.get(0).keySet()) {
                if (of.stream().allMatch(m -> m.containsKey(k))) {
                    mean.put(k, of.stream().mapToDouble(m -> m.get(k)).average().orElse(Double.NaN));
                }
            }
            Map<Integer, Double> delta = new TreeMap<>();
            Map<Integer, Double> base = bases.get(g.target());
            if (base != null) {
                mean.forEach((k, v) -> {
                    if (base.containsKey(k)) {
                        delta.put(k, v - base.get(k));
                    }
                });
            }
            Double se = groupSe(g.runIds().stream().filter(id -> byRun.get(id) != null && !byRun.get(id).isEmpty())
                    .map(id -> rows.get(id)).toList(), of);
            Double seBase = baseSe.get(g.target());
            Double deltaSe = se != null && seBase != null && delta.containsKey(1) ? Math.hypot(se, seBase) : null;
            rl.add(new RlGroup(g.key(), g.method(), g.budget(), g.target(), g.learningRate(), of.size(), g.targetMean(),
                    g.generalMean(), mean, delta, se, deltaSe));
        }
        return new RegimeSection(List.copyOf(regimes), byRegime, bases, baseSe, rl,
                regimes.contains(RunSpec.RL) ? RL_NOTE : null);
    }

    /**
     * Standard error of a group's mean pass@1: one run's own; over several runs,
     * {@code sqrt(sum(se_i^2) / n^2 + s^2 / n)} with {@code s} the spread of the runs' pass@1 (conservative: the
     * spread already holds the problem sampling). Null when a run has no pass@1 or no standard error.
     */
    private static Double groupSe(List<List<ScoreRow>> runRows, List<Map<Integer, Double>> passAtK) {
        int n = runRows.size();
        if (n == 0 || passAtK.stream().anyMatch(m -> !m.containsKey(1))) {
            return null;
        }
        double within = 0;
        for (List<ScoreRow> r : runRows) {
            Double se = passAtOneSe(r);
            if (se == null) {
                return null;
            }
            within += se * se;
        }
        if (n == 1) {
            return Math.sqrt(within);
        }
        double mean = passAtK.stream().mapToDouble(m -> m.get(1)).average().orElse(Double.NaN);
        double ss = passAtK.stream().mapToDouble(m -> (m.get(1) - mean) * (m.get(1) - mean)).sum();
        return Math.sqrt(within / ((double) n * n) + ss / (n - 1) / n);
    }

    /** Final standard error of a run's Target pass@1, or null. */
    private static Double passAtOneSe(List<ScoreRow> rows) {
        if (rows == null) {
            return null;
        }
        for (ScoreRow s : rows) {
            if (s.phase().equals(ScoreRow.FINAL) && s.task().equals(ScoreRow.TARGET) && s.metric().equals(ScoreRow.PASS_AT_ONE_SE)) {
                return s.value();
            }
        }
        return null;
    }

    /** Final pass@k of a run's Target (empty when it has none: SFT runs, runs without scores). */
    private static Map<Integer, Double> passAtK(List<ScoreRow> rows) {
        Map<Integer, Double> out = new TreeMap<>();
        if (rows == null) {
            return out;
        }
        for (ScoreRow s : rows) {
            if (s.phase().equals(ScoreRow.FINAL) && s.task().equals(ScoreRow.TARGET) && s.metric().startsWith(ScoreRow.PASS_AT)) {
                out.put(Integer.parseInt(s.metric().substring(ScoreRow.PASS_AT.length())), s.value());
            }
        }
        return out;
    }

    /** Whether the report holds RL runs. */
    public boolean hasRl() {
        return regimes.contains(RunSpec.RL);
    }
}
