package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.cat;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * Batched autoregressive generation: prompts are left-padded into one batch, then each step
 * picks one token per row (greedy or seeded sampling) until every row has stopped or the budget
 * is spent. With the cache, each step feeds only the new tokens; without it, the whole sequence.
 */
public final class Generator {
    private final LlamaModel model;

    /** @param model the decoder to run */
    public Generator(LlamaModel model) {
        this.model = model;
    }

    /**
     * @param prompts token ids of each prompt, each non-empty
     * @param options decoding settings
     * @return the generated ids of each prompt, without the stop token
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public List<int[]> generate(List<int[]> prompts, GenerationOptions options) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        int b = prompts.size();
        int p = 0;
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("empty prompt");
            }
            p = Math.max(p, prompt.length);
        }
        long[] ids = new long[b * p];
        long[] mask = new long[b * p];
        for (int r = 0; r < b; r++) {
            int[] prompt = prompts.get(r);
            int pad = p - prompt.length;
            for (int j = 0; j < p; j++) {
                ids[r * p + j] = j < pad ? options.padId() : prompt[j - pad];
                mask[r * p + j] = j < pad ? 0 : 1;
            }
        }
        int vocab = model.config().vocabSize();
        TokenSampler sampler = new TokenSampler(options);
        List<List<Integer>> out = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            out.add(new ArrayList<>());
        }
        boolean[] done = new boolean[b];
        KvCache cache = options.useCache() ? new KvCache(model.config().numHiddenLayers()) : null;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor allIds = HostTensors.longs(ids, b, p);
            Tensor allMask = HostTensors.longs(mask, b, p);
            Tensor feedIds = allIds;
            Tensor feedMask = allMask;
            for (int step = 0; step < options.maxNewTokens(); step++) {
                float[] last;
                // each step's activations and logits (the prompt's, at the first step, are the largest)
                // are freed with the step; the cache keeps its own references to what it holds
                try (PointerScope stepScope = new PointerScope()) {
                    Tensor logits = model.forward(feedIds, feedMask, cache);
                    last = HostTensors.toFloats(logits.narrow(1, logits.size(1) - 1, 1));
                }
                long[] next = new long[b];
                for (int r = 0; r < b; r++) {
                    int token = sampler.next(last, r * vocab, vocab);
                    if (!done[r]) {
                        if (token == options.stopId()) {
                            done[r] = true;
                        } else {
                            out.get(r).add(token);
                        }
                    }
                    next[r] = done[r] ? options.padId() : token;
                }
                if (allDone(done)) {
                    break;
                }
                Tensor nextIds = HostTensors.longs(next, b, 1);
                Tensor nextMask = HostTensors.longs(ones(b), b, 1);
                if (cache != null) {
                    feedIds = nextIds;
                    feedMask = nextMask;
                } else {
                    feedIds = cat(new TensorVector(feedIds, nextIds), 1);
                    feedMask = cat(new TensorVector(feedMask, nextMask), 1);
                }
            }
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
        List<int[]> result = new ArrayList<>(b);
        for (List<Integer> row : out) {
            result.add(row.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    private static boolean allDone(boolean[] done) {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1L);
        return a;
    }
}
