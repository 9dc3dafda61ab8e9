package org.peftarena.peft;

import org.bytedeco.pytorch.Tensor;

/**
 * Method-specific work inside a training step: a term added to the loss before backward, and a
 * callback after each optimizer update while the step's gradients still exist. Both run inside
 * the step's {@code PointerScope}; state that lives across steps must be allocated outside it and
 * updated in place.
 */
public interface TrainingHook {
    /** A hook that adds nothing and does nothing. */
    TrainingHook NONE = new TrainingHook() { };

    /**
     * A scalar added to every micro-batch's loss before it is scaled for accumulation and
     * backpropagated, attached to the trainable parameters' graph; null for none.
     */
    default Tensor extraLoss() {
        return null;
    }

    /**
     * Called after the optimizer applied step {@code step} and before the gradients are cleared.
     *
     * @param step zero-based index of the step just applied
     */
    default void afterOptimizerStep(int step) {
    }
}
