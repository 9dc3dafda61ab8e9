package org.peftarena.arena.eval;

import java.util.ArrayList;
import java.util.List;
import org.peftarena.train.data.PromptResponse;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.Generator;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;

/**
 * Exact match of greedy answers: prompts are generated in batches (left-padded, with the key/value
 * cache) until the end-of-sequence token or a length limit, decoded, and compared as text with the
 * reference response, both trimmed (comparing text, not ids, keeps the score independent of how a
 * subword tokenizer splits the answer).
 */
public final class ProblemScorer {
    /** Tokens allowed beyond the longest reference answer. */
    public static final int EXTRA_TOKENS = 2;

    private final TextTokenizer tokenizer;
    private final int batchSize;
    private final int extraTokens;

    /**
     * @param tokenizer   the model's tokenizer (its BOS, if any, starts every prompt)
     * @param batchSize   prompts generated together, >= 1
     * @param extraTokens tokens generated beyond the longest reference answer, >= 0
     */
    public ProblemScorer(TextTokenizer tokenizer, int batchSize, int extraTokens) {
        if (batchSize < 1 || extraTokens < 0) {
            throw new IllegalArgumentException("batchSize must be >= 1 and extraTokens >= 0, got " + batchSize + ", "
                    + extraTokens);
        }
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.extraTokens = extraTokens;
    }

    /** A scorer allowing {@link #EXTRA_TOKENS} beyond the longest answer. */
    public ProblemScorer(TextTokenizer tokenizer, int batchSize) {
        this(tokenizer, batchSize, EXTRA_TOKENS);
    }

    /**
     * @param model    the decoder
     * @param problems held-out problems
     */
    public ProblemScore score(LlamaModel model, List<PromptResponse> problems) {
        long start = System.nanoTime();
        int longest = 1;
        List<int[]> prompts = new ArrayList<>(problems.size());
        for (PromptResponse p : problems) {
            prompts.add(promptIds(p.prompt()));
            longest = Math.max(longest, tokenizer.encode(p.response()).length);
        }
        int eos = tokenizer.eosId().orElse(-1);
        int pad = tokenizer.padId().orElse(Math.max(eos, 0));
        GenerationOptions greedy = GenerationOptions.greedy(longest + extraTokens, eos, pad);
        Generator generator = new Generator(model);
        int correct = 0;
        int[] answered = new int[problems.size()];
        long generated = 0;
        for (int i = 0; i < problems.size(); i += batchSize) {
            int end = Math.min(problems.size(), i + batchSize);
            List<int[]> answers = generator.generate(prompts.subList(i, end), greedy);
            for (int j = 0; j < answers.size(); j++) {
                generated += answers.get(j).length;
                String answer = tokenizer.decode(answers.get(j)).strip();
                if (answer.equals(problems.get(i + j).response().strip())) {
                    correct++;
                    answered[i + j] = 1;
                }
            }
        }
        return new ProblemScore(correct, problems.size(), generated, (System.nanoTime() - start) / 1e9, answered);
    }

    private int[] promptIds(String prompt) {
        int[] body = tokenizer.encode(prompt);
        if (tokenizer.bosId().isEmpty()) {
            return body;
        }
        int[] ids = new int[body.length + 1];
        ids[0] = tokenizer.bosId().getAsInt();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }
}
