package org.peftarena.analysis.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.ActivationListener;
import org.peftarena.model.HostTensors;

/**
 * Keeps the rows of real (non-padding) tokens that reach selected linear modules during forward
 * passes, inputs or outputs, up to a token cap per module, as float32 host copies.
 */
public final class ActivationCollector implements ActivationListener {
    /** Which side of the module to keep. */
    public enum Side {
        /** The module's inputs {@code h} (drift). */
        INPUT,
        /** The module's outputs (activation-space diagnostics). */
        OUTPUT
    }

    private final Side side;
    private final int maxTokens;
    private final Map<String, List<float[]>> chunks = new LinkedHashMap<>();
    private final Map<String, Integer> rows = new LinkedHashMap<>();
    private final Map<String, Integer> widths = new LinkedHashMap<>();

    /**
     * @param side inputs or outputs
     * @param maxTokens rows kept per module at most
     */
    public ActivationCollector(Side side, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
        }
        this.side = side;
        this.maxTokens = maxTokens;
    }

    @Override
    public void onActivation(String module, Tensor input, Tensor output, Tensor tokenMask) {
        int have = rows.getOrDefault(module, 0);
        if (have >= maxTokens) {
            return;
        }
        Tensor x = side == Side.INPUT ? input : output;
        long d = x.size(x.dim() - 1);
        Tensor flat = x.reshape(-1, d);
        if (tokenMask != null) {
            flat = flat.index_select(0, tokenMask.reshape(-1).nonzero().select(1, 0));
        }
        long take = Math.min(flat.size(0), maxTokens - have);
        if (take == 0) {
            return;
        }
        float[] copy = HostTensors.toFloats(flat.narrow(0, 0, take).to(torch.ScalarType.Float).contiguous());
        chunks.computeIfAbsent(module, k -> new ArrayList<>()).add(copy);
        rows.put(module, have + (int) take);
        widths.put(module, (int) d);
    }

    /** @return whether every module seen so far has reached the cap */
    public boolean full() {
        return !rows.isEmpty() && rows.values().stream().allMatch(r -> r >= maxTokens);
    }

    /** @return per module, the kept rows as float32 [n, d], modules in first-seen order */
    public Map<String, Tensor> matrices() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        chunks.forEach((module, list) -> {
            int d = widths.get(module);
            float[] all = new float[rows.get(module) * d];
            int at = 0;
            for (float[] c : list) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            out.put(module, HostTensors.floats(all, rows.get(module), d));
        });
        return out;
    }
}
