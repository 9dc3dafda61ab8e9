package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.train.ShippedModelFixture;

/** Cached batched sampling on the shipped model: equal to full recomputation when greedy, fixed by its seed. */
class RolloutSamplerTest {
    private static final List<RlProblem> PROBLEMS = List.of(new RlProblem("3+4=", "7"), new RlProblem("12+345=", "357"),
            new RlProblem("Madam President, ", "x"));
    private static LlamaModel model;
    private static TextTokenizer tokenizer;

    static Path shipped() {
        return ShippedModelFixture.directory();
    }

    @BeforeAll
    static void load() throws Exception {
        model = HfModelDirectory.load(shipped());
        tokenizer = Tokenizers.load(shipped());
    }

    /** Greedy decoding that runs the whole prefix through the model at every step (no cache, one row at a time). */
    @SuppressWarnings("try") // scope guards used for their extent
    static int[] recomputedGreedy(int[] prompt, int maxNew, int stop) {
        List<Integer> seq = new ArrayList<>();
        for (int t : prompt) {
            seq.add(t);
        }
        List<Integer> out = new ArrayList<>();
        int v = model.config().vocabSize();
        for (int step = 0; step < maxNew; step++) {
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                long[] ids = seq.stream().mapToLong(Integer::longValue).toArray();
                float[] logits = HostTensors.toFloats(model.forward(HostTensors.longs(ids, 1, ids.length), null));
                int best = 0;
                int off = (ids.length - 1) * v;
                for (int i = 1; i < v; i++) {
                    if (logits[off + i] > logits[off + best]) {
                        best = i;
                    }
                }
                out.add(best);
                if (best == stop) {
                    break;
                }
                seq.add(best);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void greedyRolloutsEqualFullRecomputationTokenForToken() {
        int maxNew = 24;
        RolloutSampler sampler = new RolloutSampler(model, tokenizer);
        List<Rollout> rollouts = sampler.sample(PROBLEMS, 2, new SamplingOptions(maxNew, 0.0, 0), 1, new ExactMatchReward(), null);
        assertEquals(6, rollouts.size());
        int stop = tokenizer.eosId().getAsInt();
        for (int r = 0; r < rollouts.size(); r++) {
            Rollout ro = rollouts.get(r);
            int[] expected = recomputedGreedy(sampler.encodePrompt(PROBLEMS.get(r / 2).prompt()), maxNew, stop);
            assertArrayEquals(expected, ro.completion(), "row " + r + " (" + ro.problem().prompt() + ")");
            boolean stopped = ro.completion()[ro.completion().length - 1] == stop;
            assertEquals(tokenizer.decode(stopped ? Arrays.copyOf(ro.completion(), ro.completion().length - 1) : ro.completion()),
                    ro.text());
        }
        assertTrue(rollouts.stream().anyMatch(r -> r.completion()[r.completion().length - 1] == stop), "some row stops at EOS");
        assertTrue(rollouts.stream().anyMatch(r -> r.completion().length == maxNew), "some row runs to the length limit");
    }

    @Test
    void aSeedFixesTheSamples() {
        RolloutSampler sampler = new RolloutSampler(model, tokenizer);
        SamplingOptions opts = new SamplingOptions(12, 1.0, 0);
        List<Rollout> a = sampler.sample(PROBLEMS, 4, opts, 42, new ExactMatchReward(), null);
        List<Rollout> b = sampler.sample(PROBLEMS, 4, opts, 42, new ExactMatchReward(), null);
        List<Rollout> c = sampler.sample(PROBLEMS, 4, opts, 43, new ExactMatchReward(), null);
        boolean differs = false;
        boolean withinGroupDiffers = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).completion(), b.get(i).completion(), "row " + i);
            differs |= !Arrays.equals(a.get(i).completion(), c.get(i).completion());
            withinGroupDiffers |= i % 4 > 0 && !Arrays.equals(a.get(i).completion(), a.get(i - 1).completion());
        }
        assertTrue(differs, "another seed changes some sample");
        assertTrue(withinGroupDiffers, "the completions of a group are not copies of each other");
    }

    @Test
    void topKOfOneSamplesTheGreedyCompletion() {
        RolloutSampler sampler = new RolloutSampler(model, tokenizer);
        List<Rollout> greedy = sampler.sample(PROBLEMS, 1, new SamplingOptions(10, 0.0, 0), 1, new ExactMatchReward(), null);
        List<Rollout> top1 = sampler.sample(PROBLEMS, 1, new SamplingOptions(10, 1.5, 1), 9, new ExactMatchReward(), null);
        for (int i = 0; i < greedy.size(); i++) {
            assertArrayEquals(greedy.get(i).completion(), top1.get(i).completion());
        }
    }
}
