package org.peftarena.peft.ia3;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;

/**
 * (IA)^3 on one linear layer: {@code y = (x W0^T + b) * l} with {@code l (out, 1)}, or for a
 * feed-forward layer {@code y = (x * l) W0^T + b} with {@code l (1, in)}; shapes as HF PEFT stores them.
 */
public final class Ia3Layer extends AdapterLayer {
    private final Tensor scale;
    private final boolean feedforward;

    /**
     * A fresh (IA)^3 vector of ones.
     *
     * @param base the frozen layer
     * @param feedforward whether the input (rather than the output) is scaled
     */
    public Ia3Layer(BaseLinear base, boolean feedforward) {
        super(base);
        this.feedforward = feedforward;
        this.scale = feedforward ? ParameterInit.filled(base.device(), 1.0, 1, base.in()) : ParameterInit.filled(base.device(), 1.0, base.out(), 1);
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        Tensor l = scale.flatten();
        return feedforward ? base.forward(x.mul(l)) : base.forward(x).mul(l);
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("ia3_l", scale);
    }

    @Override
    protected void mergeIntoBase() {
        base.weight().mul_(scale);
        if (!feedforward && base.bias() != null) {
            base.bias().mul_(scale.flatten());
        }
    }

    @Override
    protected void unmergeFromBase() {
        base.weight().div_(scale);
        if (!feedforward && base.bias() != null) {
            base.bias().div_(scale.flatten());
        }
    }
}
