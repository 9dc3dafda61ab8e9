package org.peftarena.analysis.interp;

/**
 * One evaluated point of an interpolation path.
 *
 * @param path the concrete path kind (never {@link PathKind#AUTO})
 * @param alpha the coefficient (0 = base, 1 = finetuned)
 * @param scores Target, General and the task scores at that alpha
 */
public record PathPoint(PathKind path, double alpha, ModelScores scores) {
    /** Target in percent. */
    public double target() {
        return scores.target();
    }

    /** General in percent. */
    public double general() {
        return scores.general();
    }
}
