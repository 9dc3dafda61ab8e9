package org.peftarena.peft.full;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;

/**
 * Full finetuning of one linear layer: its own weight and bias become trainable; there is
 * nothing to merge, the trained weight is the model's weight.
 */
public final class FullLayer extends AdapterLayer {
    /** Unfreezes the base layer's tensors. */
    public FullLayer(BaseLinear base) {
        super(base);
        base.weight().set_requires_grad(true);
        if (base.bias() != null) {
            base.bias().set_requires_grad(true);
        }
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(x);
    }

    @Override
    public Map<String, Tensor> trainable() {
        return base.bias() == null ? named("weight", base.weight()) : named("weight", base.weight(), "bias", base.bias());
    }

    @Override
    protected void mergeIntoBase() {
        // the weights are trained in place
    }

    @Override
    protected void unmergeFromBase() {
        // the weights are trained in place
    }
}
