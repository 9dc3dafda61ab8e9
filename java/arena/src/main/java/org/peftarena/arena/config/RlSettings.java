package org.peftarena.arena.config;

import org.peftarena.arena.spec.RunRl;
import org.peftarena.arena.spec.RunTraining;
import org.peftarena.train.rl.GrpoLoss;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.rl.SamplingOptions;
import org.peftarena.train.rl.RlDefaultLearningRates;

/**
 * The GRPO recipe of an arena's RL runs ({@code rl:} block; every field optional); the optimizer,
 * schedule, clipping, steps and checkpoints come from {@code training} as for SFT, the learning
 * rates too, with the RL defaults ({@link RlDefaultLearningRates}) for methods without one.
 *
 * @param promptBatch  prompts per rollout step (default {@value RlOptions#DEFAULT_PROMPT_BATCH})
 * @param groupSize    completions sampled per prompt (default {@value RlOptions#DEFAULT_GROUP_SIZE})
 * @param miniBatches  optimizer updates per rollout step (default {@value RlOptions#DEFAULT_MINI_BATCHES})
 * @param temperature  sampling temperature of the rollouts (default 1.0)
 * @param topK         sample among the k most likely tokens, 0 for all (default 0)
 * @param clipRatio    PPO clip range of the probability ratio (default 0.2)
 * @param normAdvByStd divide advantages by the group's standard deviation (default true)
 * @param klCoef       weight of a KL penalty to the frozen base (default 0: none)
 */
public record RlSettings(Integer promptBatch, Integer groupSize, Integer miniBatches, Double temperature, Integer topK,
                         Double clipRatio, Boolean normAdvByStd, Double klCoef) {
    /** Every field at its default. */
    public static final RlSettings DEFAULT = new RlSettings(null, null, null, null, null, null, null, null);

    /** Fills in the defaults and validates the recipe (a clear error naming the block). */
    public RlSettings {
        promptBatch = promptBatch == null ? RlOptions.DEFAULT_PROMPT_BATCH : promptBatch;
        groupSize = groupSize == null ? RlOptions.DEFAULT_GROUP_SIZE : groupSize;
        miniBatches = miniBatches == null ? RlOptions.DEFAULT_MINI_BATCHES : miniBatches;
        temperature = temperature == null ? SamplingOptions.DEFAULT_TEMPERATURE : temperature;
        topK = topK == null ? 0 : topK;
        clipRatio = clipRatio == null ? GrpoLoss.DEFAULT_CLIP : clipRatio;
        normAdvByStd = normAdvByStd == null ? Boolean.TRUE : normAdvByStd;
        klCoef = klCoef == null ? 0.0 : klCoef;
        try {
            new RunRl(promptBatch, groupSize, miniBatches, 1, temperature, topK, clipRatio, normAdvByStd, klCoef)
                    .options(new RunTraining(1, 1, 2, 0.01, 0.0, 0.0, 1.0, 0), 1);
        } catch (IllegalArgumentException e) {
            throw new ArenaConfigException("rl: " + e.getMessage(), e);
        }
    }

    /** The recipe of a run whose target's completions are at most {@code maxNewTokens} long. */
    public RunRl forRun(int maxNewTokens) {
        return new RunRl(promptBatch, groupSize, miniBatches, maxNewTokens, temperature, topK, clipRatio, normAdvByStd, klCoef);
    }
}
