package org.peftarena.peft.vera;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.ParameterInit;

/**
 * VeRA's frozen random projections shared by every adapted layer: {@code A (r, in_max)} and
 * {@code B (out_max, r)}, Kaiming-uniform like HF PEFT's; stored in the adapter as
 * {@code base_model.vera_A} and {@code base_model.vera_B}.
 */
public final class VeraProjections {
    /** Adapter-file key of A. */
    public static final String KEY_A = "base_model.vera_A";
    /** Adapter-file key of B. */
    public static final String KEY_B = "base_model.vera_B";

    private final Tensor a;
    private final Tensor b;

    /**
     * Draws the projections.
     *
     * @param rank r
     * @param inMax largest in-features among targeted layers
     * @param outMax largest out-features among targeted layers
     * @param seed projection seed
     * @param device where they are held (the base layers')
     */
    public VeraProjections(int rank, long inMax, long outMax, long seed, org.bytedeco.pytorch.Device device) {
        SplittableRandom rng = new SplittableRandom(seed);
        this.a = ParameterInit.uniformFrozen(device, rng, 1.0 / Math.sqrt((double) inMax), rank, inMax);
        this.b = ParameterInit.uniformFrozen(device, rng, 1.0 / Math.sqrt(rank), outMax, rank);
    }

    /** float32 {@code (r, in_max)}. */
    public Tensor a() {
        return a;
    }

    /** float32 {@code (out_max, r)}. */
    public Tensor b() {
        return b;
    }

    /** The adapter-file entries. */
    public Map<String, Tensor> saved() {
        return Map.of(KEY_A, a, KEY_B, b);
    }
}
