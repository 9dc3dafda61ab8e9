package org.peftarena.train;

import java.util.ArrayList;
import java.util.List;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.Generator;
import org.peftarena.model.LlamaModel;

/** Exact match of greedily generated answers against references. */
public final class ExactMatch {
    private final int batchSize;

    /** One prompt with its expected answer, both as token ids. */
    public record Item(int[] prompt, int[] answer) {
    }

    /** Result: matching answers out of items. */
    public record Score(int correct, int total) {
        /** Exact-match rate in percent (0 when there were no items). */
        public double percent() {
            return total == 0 ? 0 : 100.0 * correct / total;
        }
    }

    /** @param batchSize prompts generated together, >= 1 */
    public ExactMatch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * @param model   the decoder
     * @param items   prompts and answers
     * @param options decoding (greedy; stopId ends an answer; maxNewTokens should exceed the longest answer)
     */
    public Score evaluate(LlamaModel model, List<Item> items, GenerationOptions options) {
        Generator generator = new Generator(model);
        int correct = 0;
        for (int i = 0; i < items.size(); i += batchSize) {
            List<Item> batch = items.subList(i, Math.min(items.size(), i + batchSize));
            List<int[]> prompts = new ArrayList<>();
            batch.forEach(it -> prompts.add(it.prompt()));
            List<int[]> answers = generator.generate(prompts, options);
            for (int j = 0; j < batch.size(); j++) {
                if (java.util.Arrays.equals(answers.get(j), batch.get(j).answer())) {
                    correct++;
                }
            }
        }
        return new Score(correct, items.size());
    }
}
