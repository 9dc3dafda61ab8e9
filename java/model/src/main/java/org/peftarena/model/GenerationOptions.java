package org.peftarena.model;

/**
 * How to continue prompts.
 *
 * @param maxNewTokens most tokens to generate per prompt, >= 1
 * @param temperature  0 for greedy decoding, else the softmax temperature (> 0)
 * @param topK         sample only among the k most likely tokens (0 = all); ignored when greedy
 * @param seed         seed of the sampling generator (sampling is reproducible for a seed)
 * @param stopId       a token that ends a sequence (not included in the output), or -1 for none
 * @param padId        id fed at padding positions (masked, so its value does not matter)
 * @param useCache     reuse keys/values of earlier positions (faster; same tokens as without)
 */
public record GenerationOptions(int maxNewTokens, double temperature, int topK, long seed, int stopId,
                                int padId, boolean useCache) {
    /** Validates the fields. */
    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (padId < 0) {
            throw new IllegalArgumentException("padId must be >= 0, got " + padId);
        }
    }

    /** Greedy decoding with the cache. */
    public static GenerationOptions greedy(int maxNewTokens, int stopId, int padId) {
        return new GenerationOptions(maxNewTokens, 0.0, 0, 0L, stopId, padId, true);
    }

    /** The same options with or without the cache. */
    public GenerationOptions withCache(boolean cache) {
        return new GenerationOptions(maxNewTokens, temperature, topK, seed, stopId, padId, cache);
    }

    /** Whether tokens are chosen by argmax. */
    public boolean isGreedy() {
        return temperature == 0.0;
    }
}
