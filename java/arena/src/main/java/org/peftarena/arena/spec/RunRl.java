package org.peftarena.arena.spec;

import org.peftarena.train.AdamWConfig;
import org.peftarena.train.rl.GrpoAdvantages;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.rl.SamplingOptions;

/**
 * The GRPO recipe of one RL run (its presence in a spec makes the run an RL run); the optimizer,
 * schedule, steps and checkpoints are the spec's {@link RunTraining}.
 *
 * @param promptBatch  prompts per rollout step
 * @param groupSize    completions sampled per prompt
 * @param miniBatches  optimizer updates per rollout step
 * @param maxNewTokens longest completion (the target task's)
 * @param temperature  sampling temperature of the rollouts
 * @param topK         sample among the k most likely tokens, 0 for all
 * @param clipRatio    PPO clip range of the probability ratio
 * @param normAdvByStd divide advantages by the group's standard deviation
 * @param klCoef       weight of the KL penalty to the frozen base (0: none)
 */
public record RunRl(int promptBatch, int groupSize, int miniBatches, int maxNewTokens, double temperature, int topK,
                    double clipRatio, boolean normAdvByStd, double klCoef) {
    /**
     * The trainer's options.
     *
     * @param t    the run's training (steps, learning rate, weight decay, warm-up, clipping, checkpoints)
     * @param seed the run's seed
     * @throws IllegalArgumentException when the recipe is invalid
     */
    public RlOptions options(RunTraining t, long seed) {
        return new RlOptions(t.steps(), promptBatch, groupSize, miniBatches, new SamplingOptions(maxNewTokens, temperature, topK),
                clipRatio, normAdvByStd, GrpoAdvantages.DEFAULT_EPS, klCoef,
                new AdamWConfig(t.learningRate(), AdamWConfig.DEFAULT_BETA1, AdamWConfig.DEFAULT_BETA2, AdamWConfig.DEFAULT_EPSILON,
                        t.weightDecay()), t.warmupFraction(), t.maxGradNorm(), seed, t.checkpointEvery());
    }
}
