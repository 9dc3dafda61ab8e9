package org.peftarena.peft;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.LinearModule;

/**
 * A frozen linear layer of the base model that an adapter wraps; merging writes into these very
 * tensors, so the model sees merged weights without copying.
 *
 * @param path Hugging Face module path, e.g. {@code model.layers.0.self_attn.q_proj}
 * @param weight {@code (out, in)}: float32, or a frozen bfloat16/float16 base computed in float32
 * @param bias {@code (out)} in the weight's dtype, or null
 */
public record BaseLinear(String path, Tensor weight, Tensor bias) {
    public BaseLinear {
        if (weight == null || weight.dim() != 2) {
            throw new PeftException("base linear " + path + ": weight must be a 2-d tensor");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new PeftException("base linear " + path + ": bias must have " + weight.size(0) + " entries");
        }
    }

    /** Output features. */
    public long out() {
        return weight.size(0);
    }

    /** Input features. */
    public long in() {
        return weight.size(1);
    }

    /** The device the weight is on, where the adapter's own tensors are created. */
    public org.bytedeco.pytorch.Device device() {
        return weight.device();
    }

    /** The shape record used by budgets (name relative to nothing: the full path). */
    public LinearShape shape() {
        return new LinearShape(path, out(), in(), bias != null);
    }

    /**
     * {@code x W^T + b}.
     *
     * @param x float32 {@code (..., in)}
     * @return float32 {@code (..., out)}; a narrower frozen weight is widened only for this call
     */
    public Tensor forward(Tensor x) {
        return LinearModule.apply(x, weight, bias);
    }
}
