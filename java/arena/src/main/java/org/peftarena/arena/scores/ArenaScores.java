package org.peftarena.arena.scores;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.arena.eval.ItemCounts;
import org.peftarena.arena.eval.TaskScore;

/** The protocol's scores: General as the unweighted mean of the general tasks, Forget and Gain against the base. */
public final class ArenaScores {
    private ArenaScores() {
    }

    /** Task name to score in percent. */
    public static Map<String, Double> percentages(Map<String, TaskScore> scores) {
        Map<String, Double> out = new LinkedHashMap<>();
        scores.forEach((k, v) -> out.put(k, v.score()));
        return out;
    }

    /**
     * General: the unweighted mean of the general tasks' scores, in percent.
     *
     * @throws IllegalArgumentException when a general task has no score
     */
    public static double general(Map<String, Double> scores, List<String> generalTasks) {
        if (generalTasks.isEmpty()) {
            throw new IllegalArgumentException("no general tasks");
        }
        double sum = 0;
        for (String t : generalTasks) {
            Double v = scores.get(t);
            if (v == null) {
                throw new IllegalArgumentException("no score for general task " + t);
            }
            sum += v;
        }
        return sum / generalTasks.size();
    }

    /**
     * Target, General and their cluster-bootstrap standard errors ({@link AxisStandardErrors}) of one
     * evaluation.
     *
     * @param scored  task scores with their per-item counts
     * @param target  the target task, or null (Target NaN)
     * @param general the tasks General averages, or null / empty (General NaN)
     */
    public static ModelScores modelScores(Map<String, TaskScore> scored, String target, List<String> general) {
        Map<String, Double> s = percentages(scored);
        Map<String, ItemCounts> counts = new LinkedHashMap<>();
        scored.forEach((t, v) -> {
            if (v.counts() != null) {
                counts.put(t, v.counts());
            }
        });
        boolean withGeneral = general != null && !general.isEmpty();
        return new ModelScores(target == null ? Double.NaN : s.get(target),
                withGeneral ? general(s, general) : Double.NaN, s,
                target == null ? Double.NaN : AxisStandardErrors.target(counts, target),
                withGeneral ? AxisStandardErrors.general(counts, general) : Double.NaN);
    }

    /** Forget = General(base) - General(model), in points. */
    public static double forget(double baseGeneral, double modelGeneral) {
        return baseGeneral - modelGeneral;
    }

    /** Gain = Target(model) - Target(base), in points. */
    public static double gain(double baseTarget, double modelTarget) {
        return modelTarget - baseTarget;
    }
}
