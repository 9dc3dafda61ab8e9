package org.peftarena.analysis.interp;

import java.util.function.Consumer;
import org.peftarena.model.LlamaModel;

/**
 * A model that can be moved to any point of an alpha grid between its base weights (alpha = 0)
 * and a finetuned state (alpha = 1). It changes the model it was opened on in place;
 * {@link #close()} restores the base weights and forwards.
 */
public interface InterpolationPath extends AutoCloseable {
    /** The concrete path (never {@link PathKind#AUTO}). */
    PathKind kind();

    /** The coefficients this path can move to. */
    AlphaGrid grid();

    /** The model being moved. */
    LlamaModel model();

    /**
     * Moves the model to {@code grid().get(index)}: its forward then computes the point's function.
     *
     * @param index position in the grid
     */
    void moveTo(int index);

    /**
     * Runs an action while the model's weights themselves hold the current point (for saving a
     * plain Hugging Face checkpoint). Paths that already write weights just run it.
     *
     * @param action receives the model with merged weights; must not change them
     */
    default void withMergedWeights(Consumer<LlamaModel> action) {
        action.accept(model());
    }

    /**
     * The scale of the update at a grid point, {@code normF(W(alpha) - W0) / normF(W(1) - W0)} over
     * every adapted matrix: the one parameterisation in which paths of different methods compare.
     * Paths linear in alpha ({@code W0 + alpha dW}) return alpha itself, which is what the ratio is
     * by construction.
     *
     * @param index position in the grid
     */
    default double updateScale(int index) {
        return grid().get(index);
    }

    /** Restores the base model. */
    @Override
    void close();
}
