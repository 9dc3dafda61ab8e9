package org.peftarena.analysis.rewind;

import org.peftarena.analysis.interp.ModelScores;

/**
 * One row of a rewinding table.
 *
 * @param plan the recipe and its factors
 * @param scores the rewound model's scores
 * @param updateScale {@code normF(W_rewound - W0) / normF(W1 - W0)} over every adapted matrix: where
 *                    the rewound model sits on the scale interpolation paths are compared on (NaN when unknown)
 */
public record RewindOutcome(RewindPlan plan, ModelScores scores, double updateScale) {
}
