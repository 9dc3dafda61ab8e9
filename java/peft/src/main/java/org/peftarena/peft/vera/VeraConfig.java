package org.peftarena.peft.vera;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * VeRA: frozen random projections {@code A (r, in_max)}, {@code B (out_max, r)} shared by all layers,
 * trainable scaling vectors {@code lambda_d (r)} and {@code lambda_b (out)} per layer.
 *
 * @param rank r, at least 1
 * @param dInitial initial value of every {@code lambda_d} entry
 * @param projectionSeed seed of the shared projections (HF PEFT {@code projection_prng_key})
 */
public record VeraConfig(int rank, double dInitial, long projectionSeed) implements PeftConfig {
    /** HF PEFT's default rank. */
    public static final int DEFAULT_RANK = 256;
    /** HF PEFT's default initial {@code lambda_d}. */
    public static final double DEFAULT_D_INITIAL = 0.1;

    public VeraConfig {
        if (rank < 1) {
            throw new PeftException("vera: rank must be at least 1, got " + rank);
        }
        if (!Double.isFinite(dInitial)) {
            throw new PeftException("vera: d_initial must be finite");
        }
    }

    /** The HF PEFT defaults. */
    public VeraConfig() {
        this(DEFAULT_RANK, DEFAULT_D_INITIAL, 0);
    }

    @Override
    public PeftMethod method() {
        return VeraMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        return m.out() + rank;
    }

    @Override
    public int size() {
        return rank;
    }

    @Override
    public VeraConfig withSize(int size) {
        return new VeraConfig(size, dInitial, projectionSeed);
    }
}
