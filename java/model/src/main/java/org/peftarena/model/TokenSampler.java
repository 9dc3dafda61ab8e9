package org.peftarena.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from a row of logits: argmax, or seeded temperature / top-k sampling in Java. */
final class TokenSampler {
    private final GenerationOptions options;
    private final SplittableRandom random;

    TokenSampler(GenerationOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    /** @param logits one row {@code [V]} */
    int next(float[] logits, int offset, int vocab) {
        if (options.isGreedy()) {
            int best = 0;
            for (int i = 1; i < vocab; i++) {
                if (logits[offset + i] > logits[offset + best]) {
                    best = i;
                }
            }
            return best;
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
        int k = options.topK() == 0 ? vocab : Math.min(options.topK(), vocab);
        double max = logits[offset + order[0]] / options.temperature();
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logits[offset + order[i]] / options.temperature() - max);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < k; i++) {
            u -= p[i];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[k - 1];
    }
}
