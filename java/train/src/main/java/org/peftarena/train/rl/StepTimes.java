package org.peftarena.train.rl;

/** Wall time of an RL run split into rollout (sampling), reward and update (log-probs, loss, backward, optimizer). */
public final class StepTimes {
    private long rolloutNanos;
    private long rewardNanos;
    private long totalNanos;

    void addRollout(long nanos) {
        rolloutNanos += nanos;
    }

    void addReward(long nanos) {
        rewardNanos += nanos;
    }

    void setTotal(long nanos) {
        totalNanos = nanos;
    }

    /** Seconds spent sampling completions. */
    public double rolloutSeconds() {
        return rolloutNanos / 1e9;
    }

    /** Seconds spent scoring completions. */
    public double rewardSeconds() {
        return rewardNanos / 1e9;
    }

    /** Seconds of everything else: old log-probs, loss, backward, clipping, optimizer, checkpoints. */
    public double updateSeconds() {
        return Math.max(0, totalNanos - rolloutNanos - rewardNanos) / 1e9;
    }

    /** The split as text, e.g. {@code rollout 1.20 s (60%), reward 0.01 s (0%), update 0.79 s (40%)}. */
    @Override
    public String toString() {
        double total = Math.max(1e-12, rolloutSeconds() + rewardSeconds() + updateSeconds());
        return String.format(java.util.Locale.ROOT, "rollout %.2f s (%.0f%%), reward %.3f s (%.1f%%), update %.2f s (%.0f%%)",
                rolloutSeconds(), 100 * rolloutSeconds() / total, rewardSeconds(), 100 * rewardSeconds() / total,
                updateSeconds(), 100 * updateSeconds() / total);
    }
}
