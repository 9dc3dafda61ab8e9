package org.peftarena.train.rl;

import org.peftarena.model.Autocast;

import org.peftarena.train.AdamWConfig;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.WarmupCosineSchedule;

/**
 * The GRPO recipe. Each step samples {@code groupSize} completions of {@code promptBatch} prompts
 * with the current policy, scores them, and takes {@code miniBatches} optimizer updates on equal
 * slices of that rollout batch (whole groups stay together when the slice size is a multiple of the
 * group size), at the step's learning rate (AdamW, warm-up then cosine decay, clipping, as for SFT).
 *
 * @param steps           rollout steps, >= 1
 * @param promptBatch     prompts per rollout step, >= 1
 * @param groupSize       completions per prompt, >= 2
 * @param miniBatches     optimizer updates per rollout step, dividing {@code promptBatch * groupSize}
 * @param sampling        rollout length, temperature, top-k
 * @param clip            PPO clip range of the ratio, > 0
 * @param normAdvByStd    divide advantages by the group's standard deviation
 * @param advantageEps    added to that standard deviation, >= 0
 * @param klCoef          weight of the KL penalty to the frozen base, >= 0 (0: no penalty, no reference pass)
 * @param adamW           optimizer hyper-parameters (peak learning rate included)
 * @param warmupFraction  share of steps warming up, in [0, 1)
 * @param clipNorm        gradient clipping limit, > 0
 * @param seed            prompt order, rollout sampling and adapter initialisation seed
 * @param checkpointEvery rollout steps between checkpoints; 0 for none besides the final result
 * @param autocast        the forward passes' mixed precision, rollouts included ({@link Autocast#NONE}: float32)
 */
public record RlOptions(int steps, int promptBatch, int groupSize, int miniBatches, SamplingOptions sampling, double clip,
                        boolean normAdvByStd, double advantageEps, double klCoef, AdamWConfig adamW, double warmupFraction,
                        double clipNorm, long seed, int checkpointEvery, Autocast autocast) {
    /** Default prompts per rollout step. */
    public static final int DEFAULT_PROMPT_BATCH = 8;
    /** Default completions per prompt. */
    public static final int DEFAULT_GROUP_SIZE = 8;
    /** Default optimizer updates per rollout step. */
    public static final int DEFAULT_MINI_BATCHES = 2;
    /** Default longest completion in tokens. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 8;

    /** Validates the fields. */
    public RlOptions {
        autocast = autocast == null ? Autocast.NONE : autocast;
        if (steps < 1 || promptBatch < 1 || groupSize < 2 || miniBatches < 1 || checkpointEvery < 0) {
            throw new IllegalArgumentException("need steps >= 1, prompt batch >= 1, group size >= 2, mini-batches >= 1, "
                    + "checkpoint interval >= 0");
        }
        if ((promptBatch * groupSize) % miniBatches != 0) {
            throw new IllegalArgumentException("mini-batches (" + miniBatches + ") must divide prompt batch x group size ("
                    + promptBatch * groupSize + ")");
        }
        if (!(clip > 0) || !(advantageEps >= 0) || !(klCoef >= 0) || Double.isInfinite(klCoef)) {
            throw new IllegalArgumentException("need clip > 0, advantage eps >= 0 and a finite KL coefficient >= 0");
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("warm-up fraction must lie in [0, 1) and the clip norm be positive");
        }
    }

    /** A float32 recipe (no autocast). */
    public RlOptions(int steps, int promptBatch, int groupSize, int miniBatches, SamplingOptions sampling, double clip,
                     boolean normAdvByStd, double advantageEps, double klCoef, AdamWConfig adamW, double warmupFraction,
                     double clipNorm, long seed, int checkpointEvery) {
        this(steps, promptBatch, groupSize, miniBatches, sampling, clip, normAdvByStd, advantageEps, klCoef, adamW,
                warmupFraction, clipNorm, seed, checkpointEvery, Autocast.NONE);
    }

    /** The defaults with the given length, learning rate and seed. */
    public static RlOptions recipe(int steps, double learningRate, long seed) {
        return new RlOptions(steps, DEFAULT_PROMPT_BATCH, DEFAULT_GROUP_SIZE, DEFAULT_MINI_BATCHES,
                new SamplingOptions(DEFAULT_MAX_NEW_TOKENS, SamplingOptions.DEFAULT_TEMPERATURE, 0), GrpoLoss.DEFAULT_CLIP, true,
                GrpoAdvantages.DEFAULT_EPS, 0.0, AdamWConfig.withLearningRate(learningRate),
                WarmupCosineSchedule.DEFAULT_WARMUP_FRACTION, GradientClipper.DEFAULT_MAX_NORM, seed, 0);
    }

    /** Rows of one rollout batch. */
    public int rolloutRows() {
        return promptBatch * groupSize;
    }

    /** Rows of one mini-batch. */
    public int miniBatchRows() {
        return rolloutRows() / miniBatches;
    }

    /** The same recipe with another checkpoint interval. */
    public RlOptions withCheckpointEvery(int every) {
        return new RlOptions(steps, promptBatch, groupSize, miniBatches, sampling, clip, normAdvByStd, advantageEps, klCoef, adamW,
                warmupFraction, clipNorm, seed, every, autocast);
    }

    /** The same recipe with another autocast. */
    public RlOptions withAutocast(Autocast a) {
        return new RlOptions(steps, promptBatch, groupSize, miniBatches, sampling, clip, normAdvByStd, advantageEps, klCoef, adamW,
                warmupFraction, clipNorm, seed, checkpointEvery, a);
    }

    /**
     * The record's text, naming the autocast only when it is on: a float32 recipe reads as it did before
     * autocast existed, so checkpoints written then still resume (the resume check compares recipes).
     */
    @Override
    public String toString() {
        return "RlOptions[steps=" + steps + ", promptBatch=" + promptBatch + ", groupSize=" + groupSize + ", miniBatches="
                + miniBatches + ", sampling=" + sampling + ", clip=" + clip + ", normAdvByStd=" + normAdvByStd
                + ", advantageEps=" + advantageEps + ", klCoef=" + klCoef + ", adamW=" + adamW + ", warmupFraction="
                + warmupFraction + ", clipNorm=" + clipNorm + ", seed=" + seed + ", checkpointEvery=" + checkpointEvery
                + (autocast == Autocast.NONE ? "" : ", autocast=" + autocast.cliName()) + "]";
    }
}
