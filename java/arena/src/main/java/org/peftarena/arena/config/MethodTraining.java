package org.peftarena.arena.config;

import java.util.List;

/**
 * Training settings of one method that differ from the arena's common ones (null = common value).
 *
 * @param learningRate  peak learning rate
 * @param steps         optimizer steps
 * @param learningRates peak learning rates to sweep (every run of the method once per rate); takes
 *                      precedence over {@code learningRate}
 * @param loraAlpha     {@code lora_alpha} of a method that has one (LoRA, DoRA, AdaLoRA), or null for the study's
 *                      {@code 2 r}
 */
public record MethodTraining(Double learningRate, Integer steps, List<Double> learningRates, Double loraAlpha) {
    /** Validates the values that are given. */
    public MethodTraining {
        if ((learningRate != null && !(learningRate > 0)) || (steps != null && steps < 1)) {
            throw new ArenaConfigException("per-method training: learning_rate must be > 0 and steps >= 1");
        }
        if (loraAlpha != null && !(loraAlpha > 0 && loraAlpha < Double.POSITIVE_INFINITY)) {
            throw new ArenaConfigException("per-method training: lora_alpha must be a finite number > 0, got "
                    + loraAlpha);
        }
        learningRates = learningRates == null ? null : TrainingSettings.checkRates("per_method learning_rates",
                learningRates);
    }

    /** Settings without a learning-rate sweep. */
    public MethodTraining(Double learningRate, Integer steps) {
        this(learningRate, steps, null, null);
    }
}
