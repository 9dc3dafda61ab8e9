package org.peftarena.analysis.rewind;

import java.util.Locale;

/**
 * SafeRho's reference layers as a fraction of the model's depth: the study averages the first five
 * of 28 layers, so the same fraction picks {@code round(fraction * depth)} leading layers (at least
 * one, at most all) of a model of another depth. On a shallow model the recipe loses its meaning:
 * a reference of a single layer makes {@code rho*} one layer's strength rather than "the early
 * layers", and a reference covering most of the model leaves little to pull back.
 */
public final class SafeRhoReference {
    /** Fewest reference layers for {@code rho*} to be an average over early layers. */
    public static final int MIN_REFERENCE_LAYERS = 2;
    /** Fewest layers above the reference for rewinding towards it to mean anything. */
    public static final int MIN_LAYERS_ABOVE = 2;

    private SafeRhoReference() {}

    /**
     * The number of leading layers SafeRho averages.
     *
     * @param fraction the reference fraction of the depth, in (0, 1]
     * @param depth the number of transformer blocks, >= 1
     */
    public static int layers(double fraction, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, got " + depth);
        }
        return (int) Math.max(1, Math.min(depth, Math.round(fraction * depth)));
    }

    /**
     * A warning when the model is too shallow for the recipe, or null.
     *
     * @param fraction the reference fraction of the depth
     * @param depth the number of transformer blocks
     */
    public static String warning(double fraction, int depth) {
        return warning(layers(fraction, depth), depth);
    }

    /**
     * A warning when a reference of {@code referenceLayers} leading layers of {@code depth} is too
     * small for {@code rho*} to stand for the early layers, or leaves too few layers above it; or null.
     */
    public static String warning(int referenceLayers, int depth) {
        if (referenceLayers >= MIN_REFERENCE_LAYERS && depth - referenceLayers >= MIN_LAYERS_ABOVE) {
            return null;
        }
        return String.format(Locale.ROOT, "SafeRho on a %d-layer model: the reference is %d layer%s with %d above it;"
                + " the recipe (the study's first five of 28 layers) needs at least %d reference layers and %d above"
                + " them to mean anything", depth, referenceLayers, referenceLayers == 1 ? "" : "s",
                depth - referenceLayers, MIN_REFERENCE_LAYERS, MIN_LAYERS_ABOVE);
    }
}
