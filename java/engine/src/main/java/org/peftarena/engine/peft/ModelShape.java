package org.peftarena.engine.peft;

import java.util.List;

/**
 * What parameter budgets need to know about a decoder: its depth, width and the linear layers of
 * one block (every block has the same set).
 *
 * @param numLayers number of transformer blocks
 * @param hiddenSize model width (size of each block's norm weights)
 * @param linears the linear layers of one block, in Hugging Face order
 */
public record ModelShape(int numLayers, long hiddenSize, List<LinearShape> linears) {
    /** Hugging Face module path prefix of block {@code i}. */
    public static final String LAYER_PREFIX = "model.layers.";

    public ModelShape {
        if (numLayers <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("model needs positive layers and width, got " + numLayers + ", " + hiddenSize);
        }
        linears = List.copyOf(linears);
        if (linears.isEmpty()) {
            throw new IllegalArgumentException("model block has no linear layers");
        }
    }

    /** The full Hugging Face module path of a block's linear layer, e.g. {@code model.layers.3.mlp.down_proj}. */
    public static String modulePath(int layer, LinearShape linear) {
        return LAYER_PREFIX + layer + "." + linear.name();
    }

    /**
     * The standard Llama-family block: q, k, v, o attention projections and a SwiGLU MLP.
     *
     * @param hidden model width
     * @param intermediate MLP width
     * @param heads attention heads
     * @param kvHeads key/value heads (grouped-query attention)
     * @param headDim per-head width
     * @param qkvBias whether q, k, v carry biases (Qwen2)
     */
    public static List<LinearShape> llamaBlock(long hidden, long intermediate, long heads, long kvHeads, long headDim, boolean qkvBias) {
        return List.of(
                new LinearShape("self_attn.q_proj", heads * headDim, hidden, qkvBias),
                new LinearShape("self_attn.k_proj", kvHeads * headDim, hidden, qkvBias),
                new LinearShape("self_attn.v_proj", kvHeads * headDim, hidden, qkvBias),
                new LinearShape("self_attn.o_proj", hidden, heads * headDim, false),
                new LinearShape("mlp.gate_proj", intermediate, hidden, false),
                new LinearShape("mlp.up_proj", intermediate, hidden, false),
                new LinearShape("mlp.down_proj", hidden, intermediate, false));
    }
}
