package org.peftarena.analysis.rewind;

import java.util.List;
import org.peftarena.analysis.interp.PathException;

/**
 * The factors one rewinding recipe gives an adapter.
 *
 * @param options the recipe
 * @param rhoStar the target strength {@code rho*} (NaN for the uniform strategy)
 * @param layers one entry per adapted block, by increasing block index
 */
public record RewindPlan(RewindOptions options, double rhoStar, List<LayerFactor> layers) {
    /** Copies the list. */
    public RewindPlan {
        layers = List.copyOf(layers);
    }

    /**
     * The factor of a block.
     *
     * @throws PathException when the plan has no such block
     */
    public double factor(int layer) {
        return layers.stream().filter(l -> l.layer() == layer).findFirst()
                .orElseThrow(() -> new PathException("rewinding plan has no layer " + layer)).factor();
    }
}
