package org.peftarena.arena.report;

import java.util.List;

/**
 * Target and General along one run's training, from the base model (step 0) to the final model.
 *
 * @param runId   the run
 * @param method  method name
 * @param budget  budget band
 * @param target  target task
 * @param seed    training seed
 * @param steps   training steps of each point
 * @param targetScores  Target at each point
 * @param generalScores General at each point
 */
public record Trajectory(String runId, String method, String budget, String target, long seed, List<Integer> steps,
                         List<Double> targetScores, List<Double> generalScores) {
}
