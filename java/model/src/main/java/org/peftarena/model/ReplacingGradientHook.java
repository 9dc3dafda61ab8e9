package org.peftarena.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * A gradient pre-hook that replaces the gradient arriving at its node's first output, the form our native paths
 * and gradient checkpointing join autograd by: the node (a {@code clone()} whose values were overwritten) then hands
 * the replacement on to its input. An undefined gradient (nothing reached the output) is passed on as it is.
 */
public abstract class ReplacingGradientHook extends OwnedPreHook {
    /** A hook not yet owned by a node. */
    protected ReplacingGradientHook() {
        super();
    }

    @Override
    public final TensorVector apply(TensorVector grads) {
        Tensor dy = grads.get(0);
        if (!dy.defined()) {
            return grads;
        }
        Tensor replacement = replace(dy);
        return replacement == null ? grads : new TensorVector(replacement);
    }

    /**
     * The gradient the node passes on instead of {@code dy}, or null to pass {@code dy} on unchanged.
     *
     * @param dy the gradient of the node's output, defined; valid during this call only
     */
    protected abstract Tensor replace(Tensor dy);
}
