package org.peftarena.peft.oft;

import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * OFT: the input of each layer is rotated block-wise, {@code y = (x R_bd) W0^T}, with
 * {@code in/b} blocks each parameterised by the {@code b(b-1)/2} strict-upper-triangle entries of a
 * skew matrix {@code Q}.
 *
 * @param blockSize b, at least 2; a layer whose in-features it does not divide uses the nearest divisor
 * @param variant which Cayley transform turns {@code Q} into {@code R}: {@link CayleyVariant#EXACT} or the
 *     Cayley-Neumann series with 2 to {@link KernelLimits#CAYLEY_MAX_NEUMANN_TERMS} terms
 */
public record OftConfig(int blockSize, CayleyVariant variant) implements PeftConfig {
    /** HF PEFT's default block size. */
    public static final int DEFAULT_BLOCK_SIZE = 32;
    /** HF PEFT's default number of Neumann terms. */
    public static final int DEFAULT_NEUMANN_TERMS = CayleyVariant.DEFAULT_NEUMANN_TERMS;
    /** HF PEFT's default variant: the Cayley-Neumann series with 5 terms. */
    public static final CayleyVariant DEFAULT_VARIANT = CayleyVariant.NEUMANN_5;

    public OftConfig {
        if (blockSize < 2) {
            throw new PeftException("oft: block size must be at least 2, got " + blockSize);
        }
        if (variant == null) {
            throw new PeftException("oft: Cayley variant must be given");
        }
        if (variant.isNeumann()) {
            checkNeumannTerms(variant.terms());
        }
    }

    /** The HF PEFT defaults: block size 32, Cayley-Neumann with 5 terms. */
    public OftConfig() {
        this(DEFAULT_BLOCK_SIZE, DEFAULT_VARIANT);
    }

    /** Default variant and terms with the given block size. */
    public OftConfig(int blockSize) {
        this(blockSize, DEFAULT_VARIANT);
    }

    /**
     * The variant HF PEFT's settings name, with OFT's message for a term count out of range.
     *
     * @param useCayleyNeumann HF PEFT {@code use_cayley_neumann}
     * @param neumannTerms HF PEFT {@code num_cayley_neumann_terms} (checked for both variants, used by the series)
     */
    public static CayleyVariant variant(boolean useCayleyNeumann, int neumannTerms) {
        checkNeumannTerms(neumannTerms);
        return CayleyVariant.of(useCayleyNeumann, neumannTerms);
    }

    private static void checkNeumannTerms(int terms) {
        if (terms < 2 || terms > KernelLimits.CAYLEY_MAX_NEUMANN_TERMS) {
            throw new PeftException("oft: Neumann terms must lie in [2, " + KernelLimits.CAYLEY_MAX_NEUMANN_TERMS + "], got " + terms);
        }
    }

    /**
     * HF PEFT's {@code num_cayley_neumann_terms}: the series' term count, or the default for the exact
     * variant (which HF PEFT ignores it for).
     */
    public int neumannTerms() {
        return variant.isNeumann() ? variant.terms() : DEFAULT_NEUMANN_TERMS;
    }

    /** The block size used for a layer with {@code in} input features. */
    public long effectiveBlockSize(long in) {
        return BlockSizes.nearestDivisor(in, blockSize);
    }

    @Override
    public PeftMethod method() {
        return OftMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        long b = effectiveBlockSize(m.in());
        return (m.in() / b) * BlockSizes.triangle(b);
    }

    @Override
    public String adjustmentNote(LinearShape m) {
        long b = effectiveBlockSize(m.in());
        return b == blockSize ? null
                : "oft_block_size " + blockSize + " does not divide in_features " + m.in() + " of " + m.name() + "; using " + b;
    }

    @Override
    public int size() {
        return blockSize;
    }

    @Override
    public OftConfig withSize(int size) {
        return new OftConfig(size, variant);
    }
}
