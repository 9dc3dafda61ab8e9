package org.peftarena.train.rl;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;

/**
 * Rollouts laid out for the policy's log-probabilities: each row is its prompt left-padded to the
 * longest prompt, then its completion right-padded to the longest completion, so the logits at
 * column {@code P - 1 + j} predict completion token {@code j} of every row.
 */
public final class PolicyBatch {
    private final int rows;
    private final int promptWidth;
    private final int completionWidth;
    private final long[] ids;
    private final long[] mask;
    private final long[] completion;
    private final float[] completionMask;
    private final long tokens;

    /**
     * @param rollouts the rows, each with a non-empty prompt and completion
     * @param padId    id fed at padding positions (masked)
     */
    public PolicyBatch(List<Rollout> rollouts, int padId) {
        if (rollouts.isEmpty()) {
            throw new IllegalArgumentException("no rollouts");
        }
        rows = rollouts.size();
        int p = 0;
        int c = 0;
        for (Rollout r : rollouts) {
            if (r.prompt().length == 0 || r.completion().length == 0) {
                throw new IllegalArgumentException("a rollout needs a non-empty prompt and completion");
            }
            p = Math.max(p, r.prompt().length);
            c = Math.max(c, r.completion().length);
        }
        promptWidth = p;
        completionWidth = c;
        int width = p + c;
        ids = new long[rows * width];
        mask = new long[rows * width];
        completion = new long[rows * c];
        completionMask = new float[rows * c];
        long n = 0;
        for (int r = 0; r < rows; r++) {
            int[] prompt = rollouts.get(r).prompt();
            int[] comp = rollouts.get(r).completion();
            int pad = p - prompt.length;
            for (int j = 0; j < width; j++) {
                boolean real;
                long id;
                if (j < p) {
                    real = j >= pad;
                    id = real ? prompt[j - pad] : padId;
                } else {
                    real = j - p < comp.length;
                    id = real ? comp[j - p] : padId;
                }
                ids[r * width + j] = id;
                mask[r * width + j] = real ? 1 : 0;
            }
            for (int j = 0; j < c; j++) {
                boolean real = j < comp.length;
                completion[r * c + j] = real ? comp[j] : padId;
                completionMask[r * c + j] = real ? 1f : 0f;
                n += real ? 1 : 0;
            }
        }
        tokens = n;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Longest completion, the width of the per-token tensors. */
    public int completionWidth() {
        return completionWidth;
    }

    /** Completion tokens over all rows (the loss-bearing positions). */
    public long tokens() {
        return tokens;
    }

    /** @return {@code [B, C]} float32, 1 at completion tokens, 0 at padding */
    public Tensor completionMask() {
        return HostTensors.floats(completionMask, rows, completionWidth);
    }

    /**
     * Log-probability of every completion token under the model (with the autograd graph when gradients are enabled).
     *
     * @return {@code [B, C]} float32 (padding columns hold the log-probability of the pad id; mask them)
     */
    public Tensor tokenLogProbs(LlamaModel model) {
        int width = promptWidth + completionWidth;
        Tensor logits = model.forward(HostTensors.longs(ids, rows, width), HostTensors.longs(mask, rows, width)); // [B, T, V]
        Tensor predicting = logits.narrow(1, promptWidth - 1, completionWidth).log_softmax(2); // [B, C, V]
        Tensor index = Devices.on(logits.device(), HostTensors.longs(completion, rows, completionWidth)).unsqueeze(2); // [B, C, 1]
        return predicting.gather(2, index).squeeze(2);
    }
}
