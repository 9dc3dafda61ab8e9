package org.peftarena.analysis.weights;

/**
 * The two per-direction readings of an update along the pretrained singular pairs.
 *
 * @param diagonal {@code u_i^T dW v_i}, signed, double [k]
 * @param energy {@code norm2(dW v_i)}, double [k]
 */
public record UpdateProfiles(double[] diagonal, double[] energy) {
    /** Checks lengths agree. */
    public UpdateProfiles {
        if (diagonal.length != energy.length) {
            throw new IllegalArgumentException("profile lengths differ: " + diagonal.length + " vs " + energy.length);
        }
    }
}
