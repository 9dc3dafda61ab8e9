package org.peftarena.train;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;

/**
 * Held-out next-token accuracy: documents are cut into non-overlapping windows, and within each
 * window every token after the first is predicted (argmax) from the ones before it.
 */
public final class NextTokenAccuracy {
    private final int window;
    private final int batchSize;

    /** Result: correct predictions out of scored positions. */
    public record Score(long correct, long scored) {
        /** Accuracy in percent (0 when nothing was scored). */
        public double percent() {
            return scored == 0 ? 0 : 100.0 * correct / scored;
        }
    }

    /**
     * @param window    tokens per window (context length), >= 2
     * @param batchSize windows per forward pass, >= 1
     */
    public NextTokenAccuracy(int window, int batchSize) {
        if (window < 2 || batchSize < 1) {
            throw new IllegalArgumentException("window must be >= 2 and batchSize >= 1, got " + window + ", "
                    + batchSize);
        }
        this.window = window;
        this.batchSize = batchSize;
    }

    /**
     * @param model     the decoder
     * @param documents token ids of each document (a leading BOS, if any, is part of the document)
     * @param maxScored stop after about this many scored positions (0 = no limit)
     */
    public Score evaluate(LlamaModel model, List<int[]> documents, long maxScored) {
        List<int[]> windows = new ArrayList<>();
        long planned = 0;
        outer:
        for (int[] doc : documents) {
            for (int start = 0; start + 1 < doc.length; start += window) {
                int len = Math.min(window, doc.length - start);
                windows.add(java.util.Arrays.copyOfRange(doc, start, start + len));
                planned += len - 1;
                if (maxScored > 0 && planned >= maxScored) {
                    break outer;
                }
            }
        }
        long correct = 0;
        long scored = 0;
        for (int i = 0; i < windows.size(); i += batchSize) {
            List<int[]> batch = windows.subList(i, Math.min(windows.size(), i + batchSize));
            long[] counts = scoreBatch(model, batch);
            correct += counts[0];
            scored += counts[1];
        }
        return new Score(correct, scored);
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private long[] scoreBatch(LlamaModel model, List<int[]> batch) {
        int b = batch.size();
        int t = 0;
        for (int[] w : batch) {
            t = Math.max(t, w.length);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        for (int r = 0; r < b; r++) {
            int[] w = batch.get(r);
            for (int j = 0; j < w.length; j++) {
                ids[r * t + j] = w[j];
                mask[r * t + j] = 1;
            }
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(HostTensors.longs(ids, b, t), HostTensors.longs(mask, b, t));
            long[] predicted = HostTensors.toLongs(logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false));
            long correct = 0;
            long scored = 0;
            for (int r = 0; r < b; r++) {
                int len = batch.get(r).length;
                for (int j = 0; j + 1 < len; j++) {
                    scored++;
                    if (predicted[r * t + j] == ids[r * t + j + 1]) {
                        correct++;
                    }
                }
            }
            return new long[] {correct, scored};
        }
    }
}
