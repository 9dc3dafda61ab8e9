package org.peftarena.arena.spec;

/**
 * The training recipe of one run, with the method's own learning rate and step count resolved.
 *
 * @param steps           optimizer steps
 * @param batchSize       sequences per step
 * @param seqLen          longest training sequence in tokens
 * @param learningRate    peak learning rate
 * @param warmupFraction  share of steps with linear warm-up
 * @param weightDecay     AdamW weight decay on matrices
 * @param maxGradNorm     clipping limit
 * @param checkpointEvery steps between checkpoints (0 = final only)
 */
public record RunTraining(int steps, int batchSize, int seqLen, double learningRate, double warmupFraction,
                          double weightDecay, double maxGradNorm, int checkpointEvery) {
}
