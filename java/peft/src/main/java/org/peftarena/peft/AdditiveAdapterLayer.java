package org.peftarena.peft;

import org.bytedeco.pytorch.Tensor;

/**
 * An adapter whose effect is an additive weight update {@code W0 + dW} (the LoRA family, MiSS,
 * VeRA): merging adds {@link #delta()} to the base weight and unmerging subtracts it again.
 */
public abstract class AdditiveAdapterLayer extends AdapterLayer {
    protected AdditiveAdapterLayer(BaseLinear base) {
        super(base);
    }

    /** The dense update {@code dW}: float32 {@code (out, in)}, computed from the current parameters. */
    public abstract Tensor delta();

    @Override
    protected final void mergeIntoBase() {
        base.weight().add_(delta());
    }

    @Override
    protected final void unmergeFromBase() {
        base.weight().sub_(delta());
    }
}
