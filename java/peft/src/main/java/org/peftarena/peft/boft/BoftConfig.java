package org.peftarena.peft.boft;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * BOFT: a product of {@code butterflyFactors} block-diagonal orthogonal matrices interleaved with
 * butterfly permutations, plus an output scale {@code s (out)}; HF PEFT stores each block as a full
 * {@code b x b} matrix and skew-symmetrises it, so that is what the budget counts.
 *
 * @param blockSize b, at least 2 and even when {@code butterflyFactors > 1}
 * @param butterflyFactors number of butterfly factors m, at least 1 (1 is block-diagonal OFT)
 */
public record BoftConfig(int blockSize, int butterflyFactors) implements PeftConfig {
    /** HF PEFT's default block size. */
    public static final int DEFAULT_BLOCK_SIZE = 4;
    /** HF PEFT's default number of butterfly factors. */
    public static final int DEFAULT_BUTTERFLY_FACTORS = 1;
    /** The most butterfly factors accepted ({@code b x 2^(m-1)} beyond 2^30 features fits no layer). */
    public static final int MAX_BUTTERFLY_FACTORS = 30;

    public BoftConfig {
        if (blockSize < 2 || butterflyFactors < 1) {
            throw new PeftException("boft: need block size >= 2 and butterfly factors >= 1, got " + blockSize + ", " + butterflyFactors);
        }
        if (butterflyFactors > MAX_BUTTERFLY_FACTORS) {
            throw new PeftException("boft: at most " + MAX_BUTTERFLY_FACTORS + " butterfly factors, got " + butterflyFactors);
        }
        if (butterflyFactors > 1 && blockSize % 2 != 0) {
            throw new PeftException("boft: block size must be even with more than one butterfly factor, got " + blockSize);
        }
    }

    /** The HF PEFT defaults. */
    public BoftConfig() {
        this(DEFAULT_BLOCK_SIZE, DEFAULT_BUTTERFLY_FACTORS);
    }

    /**
     * Checks that a layer with {@code in} features can be split as HF PEFT requires.
     *
     * @throws PeftException if {@code in} is not a multiple of {@code b * 2^(m-1)}
     */
    public void checkLayer(LinearShape m) {
        long unit = (long) blockSize << (butterflyFactors - 1);
        if (m.in() % unit != 0) {
            throw new PeftException("boft: in_features " + m.in() + " of " + m.name()
                    + " is not a multiple of block size x 2^(butterfly factors - 1) = " + blockSize + " x 2^" + (butterflyFactors - 1)
                    + " = " + unit + "; choose a block size or factor count whose product divides every targeted in-feature");
        }
    }

    @Override
    public PeftMethod method() {
        return BoftMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        checkLayer(m);
        return butterflyFactors * (m.in() / blockSize) * (long) blockSize * blockSize + m.out();
    }

    @Override
    public int size() {
        return blockSize;
    }

    @Override
    public BoftConfig withSize(int size) {
        return new BoftConfig(size, butterflyFactors);
    }
}
