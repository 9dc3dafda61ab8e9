package org.peftarena.analysis.rewind;

import java.util.List;
import org.peftarena.analysis.interp.PathException;

/**
 * The factors one rewinding recipe gives an adapter.
 *
 * @param options the recipe
 * @param rhoStar the target strength {@code rho*} (NaN for the uniform strategy)
 * @param layers one entry per adapted block, by increasing block index
 * @param depth the model's depth as the adapter shows it (highest adapted block index + 1)
 * @param referenceLayers the leading layers SafeRho averaged (0 for the other strategies)
 * @param warning why the recipe may not mean anything on this model (SafeRho on a shallow model), or null
 * @param oft whether the adapter is OFT (its factors scale rotation generators)
 */
public record RewindPlan(RewindOptions options, double rhoStar, List<LayerFactor> layers, int depth,
                         int referenceLayers, String warning, boolean oft) {
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

    /**
     * The uniform recipe's generator scale as a point of the Cayley path: scaling every OFT generator
     * by {@code f} is the Cayley path at {@code alpha = f^2} (NaN for the layer-wise recipes and other methods).
     */
    public double cayleyAlpha() {
        if (!oft || options.strategy() != RewindStrategy.UNIFORM || layers.isEmpty()) {
            return Double.NaN;
        }
        return org.peftarena.analysis.interp.CayleyRotations.pathAlpha(layers.get(0).factor());
    }
}
