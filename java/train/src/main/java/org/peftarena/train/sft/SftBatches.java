package org.peftarena.train.sft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.CausalLmLoss;
import org.peftarena.model.HostTensors;
import org.peftarena.formats.tokenizer.TextTokenizer;

/**
 * Tokenised SFT examples served as padded batches; batch {@code i} depends only on the seed and
 * {@code i} (each epoch is a fresh seeded permutation), so a resumed run sees the same data.
 */
public final class SftBatches {
    private final List<int[]> ids = new ArrayList<>();
    private final List<int[]> labels = new ArrayList<>();
    private final int batchSize;
    private final long seed;
    private final int padId;
    private final Map<Long, int[]> permutations = new HashMap<>();

    /** One padded batch. */
    public record Batch(Tensor inputIds, Tensor attentionMask, Tensor labels, long scoredTokens) {
    }

    /**
     * Tokenises every example: {@code [bos] prompt response [eos]}, labels {@code -100} on bos and
     * prompt; a too-long example loses prompt tokens from the left first, then response tokens from the right.
     *
     * @param maxLength longest sequence in tokens, at least 2
     */
    public SftBatches(List<SftExample> examples, TextTokenizer tokenizer, int maxLength, int batchSize, long seed) {
        if (examples.isEmpty() || maxLength < 2 || batchSize < 1) {
            throw new SftDataException("need examples, max length >= 2 and batch size >= 1");
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.padId = tokenizer.padId().orElse(tokenizer.eosId().orElse(0));
        for (SftExample e : examples) {
            List<Integer> prompt = new ArrayList<>();
            tokenizer.bosId().ifPresent(prompt::add);
            for (int t : tokenizer.encode(e.prompt())) {
                prompt.add(t);
            }
            List<Integer> response = new ArrayList<>();
            for (int t : tokenizer.encode(e.response())) {
                response.add(t);
            }
            tokenizer.eosId().ifPresent(response::add);
            while (prompt.size() + response.size() > maxLength && prompt.size() > 1) {
                prompt.remove(0);
            }
            while (prompt.size() + response.size() > maxLength) {
                response.remove(response.size() - 1);
            }
            int n = prompt.size() + response.size();
            int[] seq = new int[n];
            int[] lab = new int[n];
            for (int i = 0; i < n; i++) {
                boolean isPrompt = i < prompt.size();
                seq[i] = isPrompt ? prompt.get(i) : response.get(i - prompt.size());
                lab[i] = isPrompt ? (int) CausalLmLoss.IGNORE_INDEX : seq[i];
            }
            ids.add(seq);
            labels.add(lab);
        }
    }

    /** Number of examples. */
    public int size() {
        return ids.size();
    }

    /** What decides the batches besides the examples' content: their count, the batch size and the seed. */
    public String describe() {
        return "examples=" + size() + " batch=" + batchSize + " data-seed=" + seed;
    }

    /** The batch of optimizer micro-step {@code index} (0-based). */
    public Batch batch(long index) {
        int[] pick = new int[batchSize];
        int longest = 0;
        for (int j = 0; j < batchSize; j++) {
            long g = index * batchSize + j;
            int e = permutation(g / size())[(int) (g % size())];
            pick[j] = e;
            longest = Math.max(longest, ids.get(e).length);
        }
        long[] in = new long[batchSize * longest];
        long[] mask = new long[batchSize * longest];
        long[] lab = new long[batchSize * longest];
        long scored = 0;
        for (int j = 0; j < batchSize; j++) {
            int[] s = ids.get(pick[j]);
            int[] l = labels.get(pick[j]);
            for (int t = 0; t < longest; t++) {
                int k = j * longest + t;
                boolean real = t < s.length;
                in[k] = real ? s[t] : padId;
                mask[k] = real ? 1 : 0;
                lab[k] = real ? l[t] : CausalLmLoss.IGNORE_INDEX;
                if (real && t > 0 && l[t] != CausalLmLoss.IGNORE_INDEX) {
                    scored++;
                }
            }
        }
        return new Batch(HostTensors.longs(in, batchSize, longest), HostTensors.longs(mask, batchSize, longest),
                HostTensors.longs(lab, batchSize, longest), scored);
    }

    private int[] permutation(long epoch) {
        return permutations.computeIfAbsent(epoch, e -> epochOrder(size(), seed, e));
    }

    /**
     * The order of {@code n} items in one epoch: a Fisher-Yates shuffle seeded by the run's seed and
     * the epoch, so every epoch has its own fixed order (SFT batches and RL prompt batches share it).
     */
    public static int[] epochOrder(int n, long seed, long epoch) {
        int[] p = new int[n];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed * 31 + epoch);
        for (int i = p.length - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }
}
