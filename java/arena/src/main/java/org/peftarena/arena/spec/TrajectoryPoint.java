package org.peftarena.arena.spec;

import java.util.Map;
import java.util.TreeMap;

/**
 * Scores of the model part-way through training.
 *
 * @param step   optimizer steps done
 * @param loss   training loss of that step
 * @param scores task name to score in percent
 */
public record TrajectoryPoint(int step, double loss, Map<String, Double> scores) {
    /** Copies the scores, sorted by task. */
    public TrajectoryPoint {
        scores = new TreeMap<>(scores);
    }
}
