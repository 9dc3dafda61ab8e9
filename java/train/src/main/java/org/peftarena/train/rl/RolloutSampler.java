package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.Generator;
import org.peftarena.model.LlamaModel;

/**
 * Samples groups of completions: each problem's prompt repeated {@code groupSize} times, all rows
 * decoded together by the batched, left-padded, key/value-cached {@link Generator}, stopped at EOS
 * or the length limit; the same seed gives the same completions.
 */
public final class RolloutSampler {
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final int stopId;
    private final int padId;

    /**
     * @param model     the policy (adapters attached, if any)
     * @param tokenizer encodes prompts and decodes completions; its EOS stops a completion
     */
    public RolloutSampler(LlamaModel model, TextTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.stopId = tokenizer.eosId().orElse(-1);
        this.padId = tokenizer.padId().orElse(Math.max(stopId, 0));
    }

    /** The prompt's ids as the policy sees them: BOS (where the tokenizer has one), then the text. */
    public int[] encodePrompt(String prompt) {
        int[] text = tokenizer.encode(prompt);
        if (tokenizer.bosId().isEmpty()) {
            return text;
        }
        int[] out = new int[text.length + 1];
        out[0] = tokenizer.bosId().getAsInt();
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }

    /**
     * Samples {@code groupSize} completions of every problem and scores them.
     *
     * @param problems  the prompts of one rollout batch
     * @param groupSize completions per problem, >= 1; rows {@code g * groupSize ..} belong to problem g
     * @param options   length, temperature, top-k
     * @param seed      the sampling seed
     * @param reward    scores each completion
     * @param times     receives the time spent sampling and scoring (may be null)
     * @throws RewardException when the reward throws or returns a non-finite value
     */
    public List<Rollout> sample(List<RlProblem> problems, int groupSize, SamplingOptions options, long seed, Reward reward,
                                StepTimes times) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size must be >= 1, got " + groupSize);
        }
        long t0 = System.nanoTime();
        List<int[]> prompts = new ArrayList<>();
        for (RlProblem p : problems) {
            int[] ids = encodePrompt(p.prompt());
            if (ids.length == 0) {
                throw new RlDataException("prompt '" + p.prompt() + "' encodes to no tokens");
            }
            for (int i = 0; i < groupSize; i++) {
                prompts.add(ids);
            }
        }
        GenerationOptions gen = new GenerationOptions(options.maxNewTokens(), options.temperature(), options.topK(), seed,
                stopId, padId, true);
        List<int[]> generated = new Generator(model).generate(prompts, gen);
        long t1 = System.nanoTime();
        List<Rollout> out = new ArrayList<>(prompts.size());
        for (int r = 0; r < prompts.size(); r++) {
            RlProblem problem = problems.get(r / groupSize);
            int[] g = generated.get(r);
            boolean stopped = g.length < options.maxNewTokens() && stopId >= 0;
            int[] completion = stopped ? Arrays.copyOf(g, g.length + 1) : g;
            if (stopped) {
                completion[g.length] = stopId;
            }
            String text = tokenizer.decode(g);
            out.add(new Rollout(problem, prompts.get(r), completion, text, Rewards.checkedScore(reward, problem, text)));
        }
        if (times != null) {
            times.addRollout(t1 - t0);
            times.addReward(System.nanoTime() - t1);
        }
        return out;
    }
}
