package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.linear;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.peftarena.formats.config.LinearModuleSpec;

/**
 * One linear layer of a decoder block, addressed by its Hugging Face module name; its weight and
 * bias live in the model's {@link ModelWeights} under {@code name + ".weight"} / {@code ".bias"}.
 */
public final class LinearModule {
    private final LinearModuleSpec spec;
    private final ModelWeights weights;
    private final String weightName;
    private final String biasName;

    LinearModule(LinearModuleSpec spec, ModelWeights weights) {
        this.spec = spec;
        this.weights = weights;
        this.weightName = spec.name() + ".weight";
        this.biasName = spec.name() + ".bias";
    }

    /** Module name, e.g. "model.layers.3.self_attn.q_proj". */
    public String name() {
        return spec.name();
    }

    /** Shape and bias flag of the layer. */
    public LinearModuleSpec spec() {
        return spec;
    }

    /** Name of its weight tensor in the checkpoint. */
    public String weightName() {
        return weightName;
    }

    /** @return the weight {@code [out, in]} in the model's (storage) dtype */
    public Tensor weight() {
        return weights.get(weightName);
    }

    /** @return the bias {@code [out]}, or null when the layer has none */
    public Tensor bias() {
        return spec.bias() ? weights.get(biasName) : null;
    }

    /**
     * The unmodified layer, {@code y = x W^T + b}.
     *
     * @param x input {@code [..., in]} in the model's compute dtype
     * @return {@code [..., out]} in {@code x}'s dtype
     */
    public Tensor base(Tensor x) {
        return apply(x, weight(), bias());
    }

    /**
     * {@code y = x W^T + b} for a weight of any dtype: in {@code x}'s dtype through
     * {@link FrozenLinear} when the weight is stored narrower (a frozen bfloat16 base computed in
     * float32), else LibTorch's {@code linear} as it is.
     *
     * @param bias {@code [out]} or null
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        if (FrozenLinear.applies(x, weight)) {
            return FrozenLinear.apply(x, weight, bias);
        }
        return bias == null ? linear(x, weight) : linear(x, weight, new TensorOptional(bias));
    }

    @Override
    public String toString() {
        return spec.name() + " [" + spec.out() + " x " + spec.in() + (spec.bias() ? ", bias]" : "]");
    }
}
