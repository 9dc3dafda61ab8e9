package org.peftarena.analysis.interp;

import java.util.Map;
import java.util.TreeMap;

/**
 * A model's scores on the arena's two axes, in percent, with their standard errors where the
 * evaluation kept what they need.
 *
 * @param target the target-domain score (NaN when not evaluated)
 * @param general the mean of the general suite (NaN when not evaluated)
 * @param tasks every task score that went into them, by task name
 * @param targetSe the standard error of {@code target}, in points (NaN when unknown)
 * @param generalSe the standard error of {@code general}, in points (NaN when unknown)
 */
public record ModelScores(double target, double general, Map<String, Double> tasks, double targetSe,
                          double generalSe) {
    /** Copies the task map, sorted by name. */
    public ModelScores {
        tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
    }

    /** Scores without standard errors. */
    public ModelScores(double target, double general, Map<String, Double> tasks) {
        this(target, general, tasks, Double.NaN, Double.NaN);
    }

    /** Scores without per-task detail or standard errors. */
    public static ModelScores of(double target, double general) {
        return new ModelScores(target, general, Map.of());
    }

    /** Scores with standard errors, without per-task detail. */
    public static ModelScores of(double target, double general, double targetSe, double generalSe) {
        return new ModelScores(target, general, Map.of(), targetSe, generalSe);
    }
}
