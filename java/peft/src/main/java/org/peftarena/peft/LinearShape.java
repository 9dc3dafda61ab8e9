package org.peftarena.peft;

/**
 * The shape of one linear layer inside a transformer block, named as Hugging Face names it.
 *
 * @param name the module path relative to its block, e.g. {@code self_attn.q_proj}
 * @param out output features (rows of the weight {@code (out, in)})
 * @param in input features
 * @param bias whether the layer has a bias vector of size {@code out}
 */
public record LinearShape(String name, long out, long in, boolean bias) {
    public LinearShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("linear module name must not be blank");
        }
        if (out <= 0 || in <= 0) {
            throw new IllegalArgumentException("linear module " + name + " needs positive sizes, got out=" + out + " in=" + in);
        }
    }

    /** The last component of the name, e.g. {@code q_proj}. */
    public String shortName() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
