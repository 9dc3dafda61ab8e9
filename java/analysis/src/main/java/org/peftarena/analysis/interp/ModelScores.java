package org.peftarena.analysis.interp;

import java.util.Map;
import java.util.TreeMap;

/**
 * A model's scores on the arena's two axes, in percent.
 *
 * @param target the target-domain score (NaN when not evaluated)
 * @param general the mean of the general suite (NaN when not evaluated)
 * @param tasks every task score that went into them, by task name
 */
public record ModelScores(double target, double general, Map<String, Double> tasks) {
    /** Copies the task map, sorted by name. */
    public ModelScores {
        tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
    }

    /** Scores without per-task detail. */
    public static ModelScores of(double target, double general) {
        return new ModelScores(target, general, Map.of());
    }
}
