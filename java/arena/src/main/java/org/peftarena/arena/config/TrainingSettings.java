package org.peftarena.arena.config;

import java.util.Map;
import java.util.TreeMap;
import org.peftarena.peft.PeftMethod;
import org.peftarena.train.sft.DefaultLearningRates;

/**
 * The finetuning recipe of an arena (see the protocol): supervised finetuning with the loss on
 * response tokens, AdamW, warm-up then cosine decay, clipping, checkpoints along the path.
 *
 * @param steps           optimizer steps
 * @param batchSize       sequences per step
 * @param seqLen          longest training sequence in tokens
 * @param learningRate    peak learning rate of methods without an override, or null for the engine's
 *                        per-method defaults for small models ({@link DefaultLearningRates})
 * @param warmupFraction  share of steps with linear warm-up, in [0, 1)
 * @param weightDecay     AdamW decoupled weight decay on matrices
 * @param maxGradNorm     gradient clipping limit
 * @param checkpointEvery steps between saved checkpoints (0 = final only)
 * @param perMethod       per-method overrides by method name
 */
public record TrainingSettings(int steps, int batchSize, int seqLen, Double learningRate, double warmupFraction,
                               double weightDecay, double maxGradNorm, int checkpointEvery,
                               Map<String, MethodTraining> perMethod) {
    /** Validates the numbers. */
    public TrainingSettings {
        perMethod = perMethod == null ? Map.of() : new TreeMap<>(perMethod);
        if (steps < 1 || batchSize < 1 || seqLen < 2 || (learningRate != null && !(learningRate > 0))
                || !(warmupFraction >= 0) || !(warmupFraction < 1) || !(weightDecay >= 0) || !(maxGradNorm > 0)
                || checkpointEvery < 0) {
            throw new ArenaConfigException("invalid training settings: steps=" + steps + " batch_size=" + batchSize
                    + " seq_len=" + seqLen + " learning_rate=" + learningRate + " warmup_fraction=" + warmupFraction
                    + " weight_decay=" + weightDecay + " max_grad_norm=" + maxGradNorm + " checkpoint_every="
                    + checkpointEvery);
        }
    }

    /** The peak learning rate of a method. */
    public double learningRateOf(String method) {
        MethodTraining m = perMethod.get(method);
        if (m != null && m.learningRate() != null) {
            return m.learningRate();
        }
        return learningRate != null ? learningRate : DefaultLearningRates.forMethod(PeftMethod.parse(method));
    }

    /** The step count of a method. */
    public int stepsOf(String method) {
        MethodTraining m = perMethod.get(method);
        return m != null && m.steps() != null ? m.steps() : steps;
    }
}
