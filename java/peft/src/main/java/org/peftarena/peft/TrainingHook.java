package org.peftarena.peft;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Method-specific work inside a training step: a term added to the loss before backward, a
 * callback after each optimizer update while the step's gradients still exist (both run inside
 * the step's {@code PointerScope}; state that lives across steps must be allocated outside it and
 * updated in place), and a check of the parameters after each step.
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

    /**
     * Checks the trained parameters after a completed step (all its updates applied), before the step's
     * checkpoint, and may log a warning. Runs inside its own {@code PointerScope}.
     *
     * @param completedSteps steps done so far, counted from 1
     */
    default void afterStep(int completedSteps) {
    }

    /**
     * The state the hook carries across steps, as float32 tensors under stable names, for a
     * checkpoint to store so a resumed run continues exactly; empty for a stateless hook.
     */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * Restores what {@link #state()} returned at a checkpoint of the same run.
     *
     * @param state float32 tensors by name
     * @throws IllegalArgumentException if a tensor is missing, unknown or of another shape
     */
    default void loadState(Map<String, Tensor> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("this method keeps no training state, the checkpoint holds " + state.keySet());
        }
    }
}
