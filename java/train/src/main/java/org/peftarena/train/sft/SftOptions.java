package org.peftarena.train.sft;

import org.peftarena.model.Autocast;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.WarmupCosineSchedule;

/**
 * The SFT recipe: AdamW (0.9, 0.95), weight decay 0.01, 10% linear warm-up then cosine decay,
 * clipping at 1.0, gradient accumulation, fixed seed, a checkpoint every {@code checkpointEvery} steps.
 *
 * @param steps optimizer steps, at least 1
 * @param batchSize sequences per micro-batch
 * @param gradAccumulation micro-batches per optimizer step
 * @param maxLength longest sequence in tokens
 * @param adamW optimizer hyper-parameters (peak learning rate included)
 * @param warmupFraction share of steps warming up, in [0, 1)
 * @param clipNorm gradient clipping limit
 * @param seed data order and adapter initialisation seed
 * @param checkpointEvery steps between checkpoints; 0 for none besides the final result
 * @param autocast the forward pass's mixed precision ({@link Autocast#NONE}: float32 throughout)
 */
public record SftOptions(int steps, int batchSize, int gradAccumulation, int maxLength, AdamWConfig adamW,
                         double warmupFraction, double clipNorm, long seed, int checkpointEvery, Autocast autocast) {
    /** Default sequences per micro-batch. */
    public static final int DEFAULT_BATCH_SIZE = 8;
    /** Default longest sequence. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    public SftOptions {
        autocast = autocast == null ? Autocast.NONE : autocast;
        if (steps < 1 || batchSize < 1 || gradAccumulation < 1 || maxLength < 2 || checkpointEvery < 0) {
            throw new IllegalArgumentException("need steps, batch size, accumulation >= 1, max length >= 2, checkpoint interval >= 0");
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("warm-up fraction must lie in [0, 1) and the clip norm be positive");
        }
    }

    /** A float32 recipe (no autocast). */
    public SftOptions(int steps, int batchSize, int gradAccumulation, int maxLength, AdamWConfig adamW,
                      double warmupFraction, double clipNorm, long seed, int checkpointEvery) {
        this(steps, batchSize, gradAccumulation, maxLength, adamW, warmupFraction, clipNorm, seed, checkpointEvery,
                Autocast.NONE);
    }

    /** These options with another autocast. */
    public SftOptions withAutocast(Autocast a) {
        return new SftOptions(steps, batchSize, gradAccumulation, maxLength, adamW, warmupFraction, clipNorm, seed,
                checkpointEvery, a);
    }

    /**
     * The record's text, naming the autocast only when it is on: a float32 recipe reads as it did before
     * autocast existed, so checkpoints written then still resume (the resume check compares recipes).
     */
    @Override
    public String toString() {
        return "SftOptions[steps=" + steps + ", batchSize=" + batchSize + ", gradAccumulation=" + gradAccumulation
                + ", maxLength=" + maxLength + ", adamW=" + adamW + ", warmupFraction=" + warmupFraction + ", clipNorm="
                + clipNorm + ", seed=" + seed + ", checkpointEvery=" + checkpointEvery
                + (autocast == Autocast.NONE ? "" : ", autocast=" + autocast.cliName()) + "]";
    }

    /** The recipe with the given length, learning rate and seed. */
    public static SftOptions recipe(int steps, double learningRate, long seed) {
        return new SftOptions(steps, DEFAULT_BATCH_SIZE, 1, DEFAULT_MAX_LENGTH, AdamWConfig.withLearningRate(learningRate),
                WarmupCosineSchedule.DEFAULT_WARMUP_FRACTION, GradientClipper.DEFAULT_MAX_NORM, seed, 0);
    }
}
