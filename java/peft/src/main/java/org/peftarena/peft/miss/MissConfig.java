package org.peftarena.peft.miss;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * MiSS: one shared block {@code M (r, out)}; {@code y = x W0^T + (sum of the r-wide chunks of x) M}.
 *
 * @param rank r, at least 1 (inputs are zero-padded to a multiple of r)
 */
public record MissConfig(int rank) implements PeftConfig {
    /** HF PEFT's default rank. */
    public static final int DEFAULT_RANK = 64;

    public MissConfig {
        if (rank < 1) {
            throw new PeftException("miss: rank must be at least 1, got " + rank);
        }
    }

    /** The HF PEFT default rank. */
    public MissConfig() {
        this(DEFAULT_RANK);
    }

    @Override
    public PeftMethod method() {
        return MissMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        return (long) rank * m.out();
    }

    @Override
    public int size() {
        return rank;
    }

    @Override
    public MissConfig withSize(int size) {
        return new MissConfig(size);
    }
}
