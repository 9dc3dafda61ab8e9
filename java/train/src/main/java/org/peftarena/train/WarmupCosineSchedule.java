package org.peftarena.train;

/**
 * Linear warm-up from near zero to the peak over the first {@code warmupFraction} of the steps,
 * then cosine decay to {@code minRatio * peak} at the last step. A run of one step takes it at the
 * peak (decaying to the floor would make it a step that changes nothing).
 */
public final class WarmupCosineSchedule implements LearningRateSchedule {
    /** Default share of the steps spent warming up. */
    public static final double DEFAULT_WARMUP_FRACTION = 0.1;

    private final double peak;
    private final int totalSteps;
    private final int warmupSteps;
    private final double minRatio;

    /**
     * @param peak           learning rate reached at the end of warm-up, > 0
     * @param totalSteps     number of optimizer steps, >= 1
     * @param warmupFraction share of the steps spent warming up, in [0, 1)
     * @param minRatio       final learning rate as a fraction of the peak, in [0, 1]
     */
    public WarmupCosineSchedule(double peak, int totalSteps, double warmupFraction, double minRatio) {
        if (!(peak > 0) || totalSteps < 1 || !(warmupFraction >= 0 && warmupFraction < 1)
                || !(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException("invalid schedule: peak=" + peak + " totalSteps=" + totalSteps
                    + " warmupFraction=" + warmupFraction + " minRatio=" + minRatio);
        }
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmupSteps = (int) Math.round(warmupFraction * totalSteps);
        this.minRatio = minRatio;
    }

    /** The default recipe: 10% warm-up, cosine decay to zero. */
    public static WarmupCosineSchedule standard(double peak, int totalSteps) {
        return new WarmupCosineSchedule(peak, totalSteps, DEFAULT_WARMUP_FRACTION, 0.0);
    }

    /** Number of warm-up steps. */
    public int warmupSteps() {
        return warmupSteps;
    }

    @Override
    public double learningRate(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (totalSteps == 1) {
            return peak;
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = totalSteps - warmupSteps;
        double progress = decaySteps <= 1 ? 1.0 : Math.min(1.0, (double) (step - warmupSteps) / (decaySteps - 1));
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (minRatio + (1 - minRatio) * cosine);
    }
}
