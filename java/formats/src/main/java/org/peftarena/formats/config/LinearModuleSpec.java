package org.peftarena.formats.config;

/**
 * One linear layer of a decoder block, named as Hugging Face names it; its weight is {@code (out, in)}.
 *
 * @param name full module name, e.g. "model.layers.3.self_attn.q_proj"
 * @param out output features (rows of the weight)
 * @param in input features (columns of the weight)
 * @param bias whether the layer has a bias of size {@code out}
 */
public record LinearModuleSpec(String name, int out, int in, boolean bias) {

    /** @return the last name component, e.g. "q_proj" */
    public String shortName() {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** @return weight elements plus bias elements */
    public long parameterCount() {
        return (long) out * in + (bias ? out : 0);
    }
}
