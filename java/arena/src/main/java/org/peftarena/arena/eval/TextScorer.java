package org.peftarena.arena.eval;

import static org.bytedeco.pytorch.global.torch.cross_entropy_loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.peftarena.model.CausalLmLoss;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;

/**
 * Teacher-forced next-token accuracy and bits per token on held-out documents, in one batched
 * forward pass per group of windows: each document is cut into non-overlapping windows and every
 * token after a window's first is predicted from the ones before it (the engine's
 * {@code NextTokenAccuracy} protocol, plus the log-likelihood for bits per token).
 */
public final class TextScorer {
    /** LibTorch's {@code at::Reduction::Sum}. */
    private static final long REDUCTION_SUM = 2;

    private final int window;
    private final int batchSize;

    /**
     * @param window    tokens per window, >= 2
     * @param batchSize windows per forward pass, >= 1
     */
    public TextScorer(int window, int batchSize) {
        if (window < 2 || batchSize < 1) {
            throw new IllegalArgumentException("window must be >= 2 and batchSize >= 1, got " + window + ", "
                    + batchSize);
        }
        this.window = window;
        this.batchSize = batchSize;
    }

    /**
     * @param model     the decoder
     * @param documents token ids of each document, each {@code int[length]}
     * @param maxScored stop after about this many scored positions (0 = every document)
     */
    public TextScore score(LlamaModel model, List<int[]> documents, long maxScored) {
        long start = System.nanoTime();
        List<int[]> windows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        windows(documents, maxScored, windows, owner);
        int used = owner.isEmpty() ? 0 : owner.get(owner.size() - 1) + 1;
        int[] docCorrect = new int[used];
        int[] docScored = new int[used];
        long correct = 0;
        long scored = 0;
        double nats = 0;
        for (int i = 0; i < windows.size(); i += batchSize) {
            int end = Math.min(windows.size(), i + batchSize);
            double[] r = scoreBatch(model, windows.subList(i, end));
            correct += (long) r[0];
            scored += (long) r[1];
            nats += r[2];
            for (int w = i; w < end; w++) {
                docCorrect[owner.get(w)] += (int) r[3 + w - i];
                docScored[owner.get(w)] += windows.get(w).length - 1;
            }
        }
        return new TextScore(correct, scored, nats, (System.nanoTime() - start) / 1e9, docCorrect, docScored);
    }

    /** Cuts documents into windows (and records each window's document) until about maxScored positions. */
    private void windows(List<int[]> documents, long maxScored, List<int[]> out, List<Integer> owner) {
        long planned = 0;
        for (int d = 0; d < documents.size(); d++) {
            int[] doc = documents.get(d);
            for (int s = 0; s + 1 < doc.length; s += window) {
                int len = Math.min(window, doc.length - s);
                if (len < 2) {
                    break;
                }
                out.add(Arrays.copyOfRange(doc, s, s + len));
                owner.add(d);
                planned += len - 1;
                if (maxScored > 0 && planned >= maxScored) {
                    return;
                }
            }
        }
    }

    /** @return {correct, scored, nats, correct of window 0, correct of window 1, ...} of one batch of windows */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static double[] scoreBatch(LlamaModel model, List<int[]> batch) {
        int b = batch.size();
        int t = batch.stream().mapToInt(w -> w.length).max().orElseThrow();
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * t];
        Arrays.fill(labels, CausalLmLoss.IGNORE_INDEX);
        for (int r = 0; r < b; r++) {
            int[] w = batch.get(r);
            for (int j = 0; j < w.length; j++) {
                ids[r * t + j] = w[j];
                mask[r * t + j] = 1;
                labels[r * t + j] = w[j];
            }
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(HostTensors.longs(ids, b, t), HostTensors.longs(mask, b, t)); // [B, T, V]
            long v = logits.size(2);
            Tensor predicted = logits.narrow(1, 0, t - 1).reshape(-1, v); // [B*(T-1), V]
            Tensor targets = HostTensors.longs(labels, b, t).narrow(1, 1, t - 1).reshape(-1); // [B*(T-1)]
            double nats = cross_entropy_loss(predicted, targets, new TensorOptional(), REDUCTION_SUM,
                    CausalLmLoss.IGNORE_INDEX, 0.0).item_double();
            long[] perWindow = HostTensors.toLongs(predicted.argmax(new LongOptional(-1), false).eq(targets)
                    .reshape(b, t - 1).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())); // bool sums are int64
            long correct = 0;
            long scored = 0;
            double[] out = new double[3 + b];
            for (int r = 0; r < b; r++) {
                scored += batch.get(r).length - 1;
                correct += perWindow[r];
                out[3 + r] = perWindow[r];
            }
            out[0] = correct;
            out[1] = scored;
            out[2] = nats;
            return out;
        }
    }
}
