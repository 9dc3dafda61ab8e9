package org.peftarena.peft.hra;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * HRA: the weight is multiplied on the right by a chain of r Householder reflections
 * {@code H = prod (I - 2 u_i u_i^T / |u_i|^2)}, {@code u_i} the columns of {@code U (in, r)}.
 *
 * @param rank number of reflections r, at least 1; even r gets HF PEFT's identity initialisation
 */
public record HraConfig(int rank) implements PeftConfig {
    /** HF PEFT's default rank. */
    public static final int DEFAULT_RANK = 8;

    public HraConfig {
        if (rank < 1) {
            throw new PeftException("hra: rank must be at least 1, got " + rank);
        }
    }

    /** The HF PEFT default rank. */
    public HraConfig() {
        this(DEFAULT_RANK);
    }

    @Override
    public PeftMethod method() {
        return HraMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        return (long) rank * m.in();
    }

    @Override
    public int size() {
        return rank;
    }

    @Override
    public HraConfig withSize(int size) {
        return new HraConfig(size);
    }
}
