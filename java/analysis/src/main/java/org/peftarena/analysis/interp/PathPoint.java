package org.peftarena.analysis.interp;

/**
 * One evaluated point of an interpolation path.
 *
 * @param path the concrete path kind (never {@link PathKind#AUTO})
 * @param alpha the coefficient (0 = base, 1 = finetuned)
 * @param scores Target, General and the task scores at that alpha on the test split (what is reported)
 * @param validation the same scores on the validation split (what operating points are selected on),
 *                   or null when the point was not scored there
 * @param updateScale {@code normF(W(alpha) - W0) / normF(W(1) - W0)} over every adapted matrix, the
 *                    parameterisation that compares paths across methods (alpha itself on the paths
 *                    linear in alpha; NaN when unknown)
 */
public record PathPoint(PathKind path, double alpha, ModelScores scores, ModelScores validation, double updateScale) {
    /** A point scored on the test split only, on a path linear in alpha (update scale = alpha). */
    public PathPoint(PathKind path, double alpha, ModelScores scores) {
        this(path, alpha, scores, null, alpha);
    }

    /** Target in percent (test split). */
    public double target() {
        return scores.target();
    }

    /** General in percent (test split). */
    public double general() {
        return scores.general();
    }

    /**
     * The OFT generator scale at this point ({@code sqrt(alpha)} on the Cayley path), or NaN on the
     * other paths, which have no generator.
     */
    public double generatorScale() {
        return path == PathKind.CAYLEY ? CayleyRotations.generatorScale(alpha) : Double.NaN;
    }
}
