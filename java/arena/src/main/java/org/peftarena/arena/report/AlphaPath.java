package org.peftarena.arena.report;

import java.util.List;

/**
 * Imported scores of one run along its interpolation coefficient alpha (0 = base, 1 = finetuned).
 *
 * @param runId         the run
 * @param target        target task
 * @param alphas        the coefficients, increasing
 * @param targetScores  Target at each alpha
 * @param generalScores General at each alpha
 */
public record AlphaPath(String runId, String target, List<Double> alphas, List<Double> targetScores,
                        List<Double> generalScores) {
}
