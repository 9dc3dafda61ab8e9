package org.peftarena.train.rl;

import java.util.Locale;

/**
 * Recognises an RL policy that has collapsed: its mean training reward was positive at some step and has
 * since been exactly 0 for {@value #DEFAULT_STEPS} consecutive steps. Every rollout group then earns equal
 * rewards, so GRPO's advantages and the policy gradient are 0 and only a lucky rollout can bring the reward
 * back. A policy that has never earned a reward (a base model at reward 0) is not collapsed: it may still
 * find one. Training goes on, since a rare correct rollout can end the drought; the caller warns, once per
 * drought.
 */
public final class RewardCollapseCheck {
    /** Consecutive steps at reward 0, after a positive one, that make a collapse. */
    public static final int DEFAULT_STEPS = 20;

    private final int steps;
    private double best;
    private int zeros;
    private int firstZero;
    private boolean reported;

    /** @param steps consecutive steps at reward 0 that make a collapse, >= 1 */
    public RewardCollapseCheck(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("need >= 1 step, got " + steps);
        }
        this.steps = steps;
    }

    /** The check with {@link #DEFAULT_STEPS}. */
    public RewardCollapseCheck() {
        this(DEFAULT_STEPS);
    }

    /**
     * Records the mean training reward of a completed step.
     *
     * @param step       the step's number, counted from 1
     * @param meanReward the mean reward of its rollouts
     * @return a warning when this step completes a collapse (once per stretch of zero rewards), else null
     */
    public String observe(int step, double meanReward) {
        if (meanReward != 0) {
            zeros = 0;
            reported = false;
            best = Math.max(best, meanReward);
            return null;
        }
        if (best <= 0) {
            return null;
        }
        if (zeros++ == 0) {
            firstZero = step;
        }
        if (zeros < steps || reported) {
            return null;
        }
        reported = true;
        return String.format(Locale.ROOT, "the policy has collapsed: its mean training reward has been exactly 0 for %d "
                + "steps since step %d (it reached %.3g before), so every rollout group earns equal rewards and GRPO "
                + "gets no gradient from them; a lower --lr (about a tenth of the SFT rate) keeps RL training stable",
                zeros, firstZero, best);
    }
}
