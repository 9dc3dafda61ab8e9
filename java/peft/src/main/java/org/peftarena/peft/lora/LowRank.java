package org.peftarena.peft.lora;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftException;

/** Shared rules of the LoRA family's rank/alpha pair. */
public final class LowRank {
    private LowRank() {}

    /**
     * Validates a rank and alpha.
     *
     * @throws PeftException if rank &lt; 1 or alpha is not a positive finite number
     */
    public static void check(String method, int rank, double alpha) {
        if (rank < 1) {
            throw new PeftException(method + ": rank must be at least 1, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new PeftException(method + ": alpha must be a positive number, got " + alpha);
        }
    }

    /** {@code r * (in + out)}: the size of {@code A (r, in)} plus {@code B (out, r)}. */
    public static long params(int rank, LinearShape m) {
        return (long) rank * (m.in() + m.out());
    }
}
