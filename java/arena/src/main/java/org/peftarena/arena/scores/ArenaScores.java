package org.peftarena.arena.scores;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** Forget = General(base) - General(model), in points. */
    public static double forget(double baseGeneral, double modelGeneral) {
        return baseGeneral - modelGeneral;
    }

    /** Gain = Target(model) - Target(base), in points. */
    public static double gain(double baseTarget, double modelTarget) {
        return modelTarget - baseTarget;
    }
}
