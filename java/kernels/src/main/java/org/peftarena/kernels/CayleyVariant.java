package org.peftarena.kernels;

/**
 * Which Cayley transform of a skew-symmetric generator Q to compute.
 *
 * <p>{@link #EXACT} is {@code R = (I - Q)(I + Q)^-1}. {@link #neumannSeries(int)} is HF PEFT's
 * Cayley-Neumann series with k terms, an approximation of {@code (I + Q)(I - Q)^-1}: the
 * TRANSPOSE of the exact variant (equivalently, the exact transform of {@code -Q}). The series is
 * {@code I} (k = 1), {@code I + 2Q} (k = 2), and for k >= 3
 * {@code I + 2Q + 2Q^2 + sum_{p=3}^{k-2} 2Q^p + Q^max(3, k-1)} (k = 3 and k = 4 coincide).
 *
 * @param terms 0 for the exact transform, otherwise the number of series terms (1..64)
 */
public record CayleyVariant(int terms) {
    /** The exact transform {@code (I - Q)(I + Q)^-1}. */
    public static final CayleyVariant EXACT = new CayleyVariant(0);
    /** HF PEFT's default: the Cayley-Neumann series with 5 terms, {@code I + 2Q + 2Q^2 + 2Q^3 + Q^4}. */
    public static final CayleyVariant NEUMANN_5 = new CayleyVariant(5);

    /** Largest number of series terms the kernels accept. */
    public static final int MAX_TERMS = 64;

    /** Validates the term count. */
    public CayleyVariant {
        if (terms < 0 || terms > MAX_TERMS) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE,
                    "Cayley terms = " + terms + " must be 0 (exact) or 1.." + MAX_TERMS + " (Neumann series)");
        }
    }

    /**
     * The Cayley-Neumann series with the given number of terms (approximates the transpose of {@link #EXACT}).
     *
     * @param terms number of terms, 1..64
     */
    public static CayleyVariant neumannSeries(int terms) {
        if (terms < 1) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "Neumann series needs terms >= 1, got " + terms);
        }
        return new CayleyVariant(terms);
    }

    /** True for the exact transform. */
    public boolean isExact() {
        return terms == 0;
    }

    @Override
    public String toString() {
        return isExact() ? "EXACT" : "NEUMANN(" + terms + ")";
    }
}
