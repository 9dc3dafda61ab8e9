package org.peftarena.train;

/**
 * AdamW hyper-parameters; weight decay applies to matrices only (norm weights and biases are
 * not decayed).
 *
 * @param learningRate peak learning rate, > 0
 * @param beta1        first-moment decay, in [0, 1)
 * @param beta2        second-moment decay, in [0, 1)
 * @param epsilon      denominator floor, > 0
 * @param weightDecay  decoupled weight decay, >= 0
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
    /** The recipe's first-moment decay. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** The recipe's second-moment decay. */
    public static final double DEFAULT_BETA2 = 0.95;
    /** The recipe's weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;
    /** Denominator floor, as in PyTorch. */
    public static final double DEFAULT_EPSILON = 1e-8;

    /** Validates every field. */
    public AdamWConfig {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                || !(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("invalid AdamW settings: lr=" + learningRate + " betas=(" + beta1
                    + ", " + beta2 + ") eps=" + epsilon + " weight_decay=" + weightDecay);
        }
    }

    /** The recipe's defaults with the given peak learning rate. */
    public static AdamWConfig withLearningRate(double learningRate) {
        return new AdamWConfig(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, DEFAULT_WEIGHT_DECAY);
    }
}
