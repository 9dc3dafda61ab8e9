package org.peftarena.arena.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.lora.LoraMethod;
import org.peftarena.train.sft.DefaultLearningRates;

/**
 * The finetuning recipe of an arena (see the protocol): supervised finetuning with the loss on
 * response tokens, AdamW, warm-up then cosine decay, clipping, checkpoints along the path.
 *
 * @param steps           optimizer steps
 * @param batchSize       sequences per step
 * @param seqLen          longest training sequence in tokens
 * @param learningRate    peak learning rate of methods without an override, or null for the engine's
 *                        per-method defaults for small models ({@link DefaultLearningRates}; in an RL grid
 *                        {@link org.peftarena.train.rl.RlDefaultLearningRates})
 * @param warmupFraction  share of steps with linear warm-up, in [0, 1)
 * @param weightDecay     AdamW decoupled weight decay on matrices
 * @param maxGradNorm     gradient clipping limit
 * @param checkpointEvery steps between saved checkpoints (0 = final only)
 * @param perMethod       per-method overrides by method name
 * @param learningRates   peak learning rates every method without its own is run at (a sweep: each
 *                        run once per rate), or null for the single {@code learningRate}
 */
public record TrainingSettings(int steps, int batchSize, int seqLen, Double learningRate, double warmupFraction,
                               double weightDecay, double maxGradNorm, int checkpointEvery,
                               Map<String, MethodTraining> perMethod, List<Double> learningRates) {
    /** Settings without a common learning-rate sweep. */
    public TrainingSettings(int steps, int batchSize, int seqLen, Double learningRate, double warmupFraction,
                            double weightDecay, double maxGradNorm, int checkpointEvery,
                            Map<String, MethodTraining> perMethod) {
        this(steps, batchSize, seqLen, learningRate, warmupFraction, weightDecay, maxGradNorm, checkpointEvery,
                perMethod, null);
    }

    /** Validates the numbers. */
    public TrainingSettings {
        perMethod = perMethod == null ? Map.of() : new TreeMap<>(perMethod);
        learningRates = learningRates == null ? null : checkRates("training.learning_rates", learningRates);
        if (steps < 1 || batchSize < 1 || seqLen < 2 || (learningRate != null && !(learningRate > 0))
                || !(warmupFraction >= 0) || !(warmupFraction < 1) || !(weightDecay >= 0) || !(maxGradNorm > 0)
                || checkpointEvery < 0) {
            throw new ArenaConfigException("invalid training settings: steps=" + steps + " batch_size=" + batchSize
                    + " seq_len=" + seqLen + " learning_rate=" + learningRate + " warmup_fraction=" + warmupFraction
                    + " weight_decay=" + weightDecay + " max_grad_norm=" + maxGradNorm + " checkpoint_every="
                    + checkpointEvery);
        }
    }

    /** The peak learning rate of a method in an SFT grid. */
    public double learningRateOf(String method) {
        return learningRateOf(method, Regime.SFT);
    }

    /** The peak learning rate of a method: its own, else the common one, else the regime's default. */
    public double learningRateOf(String method, Regime regime) {
        MethodTraining m = perMethod.get(method);
        if (m != null && m.learningRate() != null) {
            return m.learningRate();
        }
        return learningRate != null ? learningRate : regime.defaultLearningRate(PeftMethod.parse(method));
    }

    /**
     * The peak learning rates a method is run at, in the order given: its own {@code learning_rates},
     * else its own {@code learning_rate}, else the common {@code learning_rates}, else the single
     * rate of {@link #learningRateOf}.
     */
    public List<Double> learningRatesOf(String method) {
        return learningRatesOf(method, Regime.SFT);
    }

    /** As {@link #learningRatesOf(String)}, with the regime's defaults for methods without a rate. */
    public List<Double> learningRatesOf(String method, Regime regime) {
        MethodTraining m = perMethod.get(method);
        if (m != null && m.learningRates() != null) {
            return m.learningRates();
        }
        if (m != null && m.learningRate() != null) {
            return List.of(m.learningRate());
        }
        return learningRates != null ? learningRates : List.of(learningRateOf(method, regime));
    }

    /**
     * These settings with every method at the given learning rates (the command line's {@code --lrs}):
     * the per-method rates are dropped, the per-method step counts kept.
     */
    public TrainingSettings withLearningRates(List<Double> rates) {
        Map<String, MethodTraining> kept = new TreeMap<>();
        perMethod.forEach((k, v) -> {
            if (v.steps() != null || v.loraAlpha() != null) {
                kept.put(k, new MethodTraining(null, v.steps(), null, v.loraAlpha()));
            }
        });
        return new TrainingSettings(steps, batchSize, seqLen, learningRate, warmupFraction, weightDecay, maxGradNorm,
                checkpointEvery, kept, rates);
    }

    /** A non-empty list of distinct positive finite rates, copied. */
    static List<Double> checkRates(String field, List<Double> rates) {
        if (rates.isEmpty()) {
            throw new ArenaConfigException(field + " must be a non-empty list");
        }
        HashSet<Double> seen = new HashSet<>();
        for (Double r : rates) {
            if (r == null || !(r > 0) || r.isInfinite()) {
                throw new ArenaConfigException(field + ": every learning rate must be a finite number > 0, got " + r);
            }
            if (!seen.add(r)) {
                throw new ArenaConfigException(field + " lists " + r + " twice");
            }
        }
        return List.copyOf(rates);
    }

    /**
     * The {@code lora_alpha} of a method at a rank, for methods that have one: the method's own
     * {@code lora_alpha}, else the study's {@code 2 r} (so the update's scale {@code alpha / r} is the
     * same at every budget). Null for methods without the option.
     */
    public Double loraAlphaOf(String method, int rank) {
        if (!MethodRegistry.provider(PeftMethod.parse(method)).options().contains(LoraMethod.ALPHA)) {
            return null;
        }
        MethodTraining m = perMethod.get(method);
        return m != null && m.loraAlpha() != null ? m.loraAlpha() : 2.0 * rank;
    }

    /** The step count of a method. */
    public int stepsOf(String method) {
        MethodTraining m = perMethod.get(method);
        return m != null && m.steps() != null ? m.steps() : steps;
    }
}
