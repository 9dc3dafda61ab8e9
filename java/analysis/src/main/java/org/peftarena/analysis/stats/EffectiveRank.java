package org.peftarena.analysis.stats;

/**
 * Stable rank of an update, {@code sum_j t_j^2 / t_1^2} over its singular values {@code t}: 1 for a
 * rank-1 update, defined as 0 for a zero update.
 */
public final class EffectiveRank {
    private EffectiveRank() {}

    /**
     * @param singularValues non-negative singular values in any order, double [k]
     * @return the stable rank, 0 when all values are 0 or there are none
     */
    public static double ofSingularValues(double[] singularValues) {
        double top = 0;
        double sum = 0;
        for (double t : singularValues) {
            if (!(t >= 0)) {
                throw new IllegalArgumentException("singular values must be non-negative numbers, got " + t);
            }
            top = Math.max(top, t);
            sum += t * t;
        }
        return top == 0 ? 0 : sum / (top * top);
    }

    /**
     * The same quantity from {@code normF(dW)^2} and the spectral norm {@code t_1}.
     *
     * @param frobeniusSquared {@code sum_j t_j^2}
     * @param spectralNorm {@code t_1}
     * @return the stable rank, 0 when the spectral norm is 0
     */
    public static double ofNorms(double frobeniusSquared, double spectralNorm) {
        return spectralNorm == 0 ? 0 : frobeniusSquared / (spectralNorm * spectralNorm);
    }
}
