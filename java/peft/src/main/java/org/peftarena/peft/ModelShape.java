package org.peftarena.peft;

import java.util.List;
import org.peftarena.formats.config.LlamaConfig;

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

    /** The shape of a Llama-family model described by its config. */
    public static ModelShape of(LlamaConfig config) {
        String prefix = LAYER_PREFIX + "0.";
        List<LinearShape> linears = config.linearModules(0).stream()
                .map(m -> new LinearShape(m.name().substring(prefix.length()), m.out(), m.in(), m.bias()))
                .toList();
        return new ModelShape(config.numHiddenLayers(), config.hiddenSize(), linears);
    }
}
