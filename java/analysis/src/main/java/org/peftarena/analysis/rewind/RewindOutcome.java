package org.peftarena.analysis.rewind;

import org.peftarena.analysis.interp.ModelScores;

/**
 * One row of a rewinding table.
 *
 * @param plan the recipe and its factors
 * @param scores the rewound model's scores
 */
public record RewindOutcome(RewindPlan plan, ModelScores scores) {
}
