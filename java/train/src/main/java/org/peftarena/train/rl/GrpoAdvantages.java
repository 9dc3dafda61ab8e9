package org.peftarena.train.rl;

/**
 * GRPO's group-relative advantage: each completion's reward minus the mean of its group, divided by
 * the group's standard deviation plus {@code eps} when {@code normByStd} is on. A group whose rewards
 * are all equal gives every member advantage 0 (no signal, whatever the normalisation).
 */
public final class GrpoAdvantages {
    /** Default {@code eps} added to the standard deviation. */
    public static final double DEFAULT_EPS = 1e-6;

    private GrpoAdvantages() {}

    /**
     * @param rewards   every completion's reward, groups of {@code groupSize} consecutive entries
     * @param groupSize completions per group, >= 1, dividing the number of rewards
     * @param normByStd divide by the group's standard deviation (unbiased, n - 1, as the reference implementation)
     * @param eps       added to the standard deviation, >= 0
     * @return the advantage of each completion
     */
    public static double[] compute(double[] rewards, int groupSize, boolean normByStd, double eps) {
        if (groupSize < 1 || rewards.length % groupSize != 0) {
            throw new IllegalArgumentException(rewards.length + " rewards do not form groups of " + groupSize);
        }
        double[] out = new double[rewards.length];
        for (int g = 0; g < rewards.length; g += groupSize) {
            double mean = 0;
            for (int i = 0; i < groupSize; i++) {
                mean += rewards[g + i];
            }
            mean /= groupSize;
            double ss = 0;
            boolean equal = true;
            for (int i = 0; i < groupSize; i++) {
                double d = rewards[g + i] - mean;
                ss += d * d;
                equal &= rewards[g + i] == rewards[g];
            }
            double std = groupSize > 1 ? Math.sqrt(ss / (groupSize - 1)) : 0;
            for (int i = 0; i < groupSize; i++) {
                double a = equal ? 0 : rewards[g + i] - mean;
                out[g + i] = normByStd && !equal ? a / (std + eps) : a;
            }
        }
        return out;
    }
}
