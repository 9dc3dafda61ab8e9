package org.peftarena.kernels;

/**
 * Which Cayley transform of a skew-symmetric generator Q to compute; the one type for the variant
 * everywhere (kernels, OFT config, HF adapter codec, command line).
 *
 * <p>{@link #EXACT} is {@code R = (I - Q)(I + Q)^-1} (HF PEFT {@code use_cayley_neumann=false}).
 * {@link #neumannSeries(int)} is HF PEFT's Cayley-Neumann series with k terms
 * ({@code use_cayley_neumann=true}, {@code num_cayley_neumann_terms=k}), an approximation of
 * {@code (I + Q)(I - Q)^-1}: the TRANSPOSE of the exact variant (equivalently, the exact transform
 * of {@code -Q}), so switching the variant on stored parameters reverses every rotation. The series
 * is {@code I} (k = 1), {@code I + 2Q} (k = 2), and for k >= 3
 * {@code I + 2Q + 2Q^2 + sum_{p=3}^{k-2} 2Q^p + Q^max(3, k-1)} (k = 3 and k = 4 coincide); its
 * coefficients are {@link #series()}.
 *
 * @param terms 0 for the exact transform, otherwise the number of series terms
 *     (1..{@link KernelLimits#CAYLEY_MAX_NEUMANN_TERMS})
 */
public record CayleyVariant(int terms) {
    /** The exact transform {@code (I - Q)(I + Q)^-1}. */
    public static final CayleyVariant EXACT = new CayleyVariant(0);
    /** HF PEFT's default number of Cayley-Neumann terms. */
    public static final int DEFAULT_NEUMANN_TERMS = 5;
    /** HF PEFT's default: the Cayley-Neumann series with 5 terms, {@code I + 2Q + 2Q^2 + 2Q^3 + Q^4}. */
    public static final CayleyVariant NEUMANN_5 = new CayleyVariant(DEFAULT_NEUMANN_TERMS);

    /** Largest number of series terms the kernels accept. */
    public static final int MAX_TERMS = KernelLimits.CAYLEY_MAX_NEUMANN_TERMS;

    /** Validates the term count. */
    public CayleyVariant {
        if (terms < 0 || terms > KernelLimits.CAYLEY_MAX_NEUMANN_TERMS) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "Cayley terms = " + terms
                    + " must be 0 (exact) or 1.." + KernelLimits.CAYLEY_MAX_NEUMANN_TERMS + " (Neumann series)");
        }
    }

    /**
     * The Cayley-Neumann series with the given number of terms (approximates the transpose of {@link #EXACT}).
     *
     * @param terms number of terms, 1..{@link KernelLimits#CAYLEY_MAX_NEUMANN_TERMS}
     */
    public static CayleyVariant neumannSeries(int terms) {
        if (terms < 1) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "Neumann series needs terms >= 1, got " + terms);
        }
        return new CayleyVariant(terms);
    }

    /**
     * The variant an HF PEFT OFT config names.
     *
     * @param useCayleyNeumann HF PEFT {@code use_cayley_neumann}
     * @param neumannTerms HF PEFT {@code num_cayley_neumann_terms} (read only when the series is used)
     */
    public static CayleyVariant of(boolean useCayleyNeumann, int neumannTerms) {
        return useCayleyNeumann ? neumannSeries(neumannTerms) : EXACT;
    }

    /** True for the exact transform. */
    public boolean isExact() {
        return terms == 0;
    }

    /** True for the Cayley-Neumann series (HF PEFT {@code use_cayley_neumann}). */
    public boolean isNeumann() {
        return terms > 0;
    }

    /**
     * The series' degree, coefficients and evaluation split.
     *
     * @throws IllegalStateException for {@link #EXACT}, which is no series
     */
    public CayleyNeumannSeries series() {
        if (isExact()) {
            throw new IllegalStateException("the exact Cayley transform has no Neumann series");
        }
        return CayleyNeumannSeries.of(terms);
    }

    @Override
    public String toString() {
        return isExact() ? "EXACT" : "NEUMANN(" + terms + ")";
    }
}
