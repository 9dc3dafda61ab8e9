package org.peftarena.peft.keeplora;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LowRankConfig;

/**
 * KeepLoRA: a LoRA whose {@code A} is frozen to the top right-singular vectors of the first-step
 * gradient after removing its component in the principal subspace of {@code W0}; only {@code B} trains.
 *
 * @param rank r, at least 1
 * @param protectedFactor the protected principal subspace of {@code W0} has {@code protectedFactor * r} directions
 */
public record KeepLoraConfig(int rank, int protectedFactor) implements LowRankConfig {
    /** The protected subspace is {@code 4 r} wide by default. */
    public static final int DEFAULT_PROTECTED_FACTOR = 4;

    public KeepLoraConfig {
        if (rank < 1 || protectedFactor < 0) {
            throw new PeftException("keeplora: need rank >= 1 and protected factor >= 0, got " + rank + ", " + protectedFactor);
        }
    }

    /** The LoRA default rank. */
    public KeepLoraConfig() {
        this(LoraConfig.DEFAULT_RANK, DEFAULT_PROTECTED_FACTOR);
    }

    @Override
    public PeftMethod method() {
        return KeepLoraMethod.ID;
    }

    /** Only {@code B (out, r)} trains. */
    @Override
    public long moduleParams(LinearShape m) {
        return (long) rank * m.out();
    }

    @Override
    public KeepLoraConfig withSize(int size) {
        return new KeepLoraConfig(size, protectedFactor);
    }
}
