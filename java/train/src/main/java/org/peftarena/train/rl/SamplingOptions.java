package org.peftarena.train.rl;

/**
 * How rollouts are sampled.
 *
 * @param maxNewTokens most tokens generated per completion (the stop token included), >= 1
 * @param temperature  softmax temperature, 0 for greedy decoding
 * @param topK         sample among the k most likely tokens only, 0 for all
 */
public record SamplingOptions(int maxNewTokens, double temperature, int topK) {
    /** Default temperature of GRPO rollouts. */
    public static final double DEFAULT_TEMPERATURE = 1.0;

    /** Validates the fields. */
    public SamplingOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
    }

    /** The same options, greedy. */
    public SamplingOptions greedy() {
        return new SamplingOptions(maxNewTokens, 0.0, 0);
    }
}
