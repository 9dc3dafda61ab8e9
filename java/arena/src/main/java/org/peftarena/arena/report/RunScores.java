package org.peftarena.arena.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreRow;

/**
 * The scores a report uses of one run: its final Target and General (for imported runs, the row
 * whose alpha is closest to 1), per-task scores, an alpha-0 reference when one was imported, and
 * its mean evaluation throughput on text tasks.
 */
record RunScores(Double target, Double general, Map<String, Double> tasks, Double alphaZeroTarget,
                 Double alphaZeroGeneral, Double evalTokensPerSecond) {

    static RunScores of(RunRecord r, List<ScoreRow> rows) {
        if (!r.status().hasScores()) {
            return new RunScores(null, null, Map.of(), null, null, null);
        }
        if (r.status() == RunStatus.IMPORTED) {
            double best = Double.NaN;
            for (ScoreRow s : rows) {
                if (s.phase().equals(ScoreRow.IMPORTED) && (Double.isNaN(best)
                        || Math.abs(s.alpha() - 1) < Math.abs(best - 1))) {
                    best = s.alpha();
                }
            }
            return new RunScores(value(rows, ScoreRow.IMPORTED, best, ScoreRow.TARGET),
                    value(rows, ScoreRow.IMPORTED, best, ScoreRow.GENERAL), Map.of(),
                    best == 0.0 ? null : value(rows, ScoreRow.IMPORTED, 0.0, ScoreRow.TARGET),
                    best == 0.0 ? null : value(rows, ScoreRow.IMPORTED, 0.0, ScoreRow.GENERAL), null);
        }
        Map<String, Double> tasks = new TreeMap<>();
        double tpsSum = 0;
        int tpsCount = 0;
        java.util.Set<String> textTasks = new java.util.HashSet<>();
        for (ScoreRow s : rows) {
            if (s.phase().equals(ScoreRow.FINAL) && s.metric().equals("bits_per_token")) {
                textTasks.add(s.task());
            }
        }
        for (ScoreRow s : rows) {
            if (!s.phase().equals(ScoreRow.FINAL)) {
                continue;
            }
            if (s.metric().equals(ScoreRow.SCORE) && !s.task().equals(ScoreRow.TARGET)
                    && !s.task().equals(ScoreRow.GENERAL)) {
                tasks.put(s.task(), s.value());
            }
            if (s.metric().equals("tokens_per_second") && textTasks.contains(s.task())) {
                tpsSum += s.value();
                tpsCount++;
            }
        }
        return new RunScores(value(rows, ScoreRow.FINAL, Double.NaN, ScoreRow.TARGET),
                value(rows, ScoreRow.FINAL, Double.NaN, ScoreRow.GENERAL), tasks, null, null,
                tpsCount == 0 ? null : tpsSum / tpsCount);
    }

    /** Metric of text tasks' scores. */
    static final String TEXT_METRIC = "teacher-forced next-token accuracy";
    /** Metric of problem tasks' scores. */
    static final String PROBLEM_METRIC = "exact match";

    /**
     * @param rows every run's score rows
     * @return each scored task's metric: text tasks (those with bits per token) score teacher-forced
     *     next-token accuracy, problem tasks exact match
     */
    static Map<String, String> taskMetrics(java.util.Collection<List<ScoreRow>> rows) {
        Map<String, String> out = new TreeMap<>();
        for (List<ScoreRow> list : rows) {
            for (ScoreRow s : list) {
                boolean aggregate = s.task().equals(ScoreRow.TARGET) || s.task().equals(ScoreRow.GENERAL);
                if (s.phase().equals(ScoreRow.FINAL) && !aggregate) {
                    if (s.metric().equals("bits_per_token")) {
                        out.put(s.task(), TEXT_METRIC);
                    } else if (s.metric().equals(ScoreRow.SCORE)) {
                        out.putIfAbsent(s.task(), PROBLEM_METRIC);
                    }
                }
            }
        }
        return out;
    }

    /** The score of an aggregate in a phase (at an alpha, or any alpha when NaN). */
    private static Double value(List<ScoreRow> rows, String phase, double alpha, String task) {
        for (ScoreRow s : rows) {
            if (s.phase().equals(phase) && s.task().equals(task) && s.metric().equals(ScoreRow.SCORE)
                    && (Double.isNaN(alpha) || s.alpha() == alpha)) {
                return s.value();
            }
        }
        return null;
    }
}
