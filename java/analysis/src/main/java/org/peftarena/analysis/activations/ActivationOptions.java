package org.peftarena.analysis.activations;

import java.util.Arrays;
import org.bytedeco.pytorch.global.torch;

/**
 * Parameters of the activation-space diagnostics.
 *
 * @param rowCap at most this many leading rows (tokens) of both matrices are used
 * @param gramRows row subsample size of the Gram distortion when there are more rows
 * @param gramSeed seed of that subsample
 * @param pcaRanks subspace sizes k of the PCA subspace distance; a k above {@code min(n, d)} is skipped
 * @param computeType element type of the arithmetic (Float or Double; never narrower than float32)
 */
public record ActivationOptions(int rowCap, int gramRows, long gramSeed, int[] pcaRanks, torch.ScalarType computeType) {
    /** Default row cap. */
    public static final int DEFAULT_ROW_CAP = 4096;
    /** Default Gram subsample size. */
    public static final int DEFAULT_GRAM_ROWS = 1024;
    /** Default Gram subsample seed. */
    public static final long DEFAULT_GRAM_SEED = 0;
    /** Default PCA subspace sizes. */
    private static final int[] DEFAULT_PCA_RANKS = {32, 64};

    /** Validates and copies. */
    public ActivationOptions {
        if (rowCap < 1 || gramRows < 1) {
            throw new IllegalArgumentException("rowCap and gramRows must be positive");
        }
        pcaRanks = pcaRanks.clone();
        for (int k : pcaRanks) {
            if (k < 1) {
                throw new IllegalArgumentException("PCA rank must be positive, got " + k);
            }
        }
        if (computeType != torch.ScalarType.Float && computeType != torch.ScalarType.Double) {
            throw new IllegalArgumentException("compute type must be Float or Double, got " + computeType);
        }
    }

    /** The defaults of the spec, computed in double precision. */
    public static ActivationOptions defaults() {
        return new ActivationOptions(DEFAULT_ROW_CAP, DEFAULT_GRAM_ROWS, DEFAULT_GRAM_SEED, DEFAULT_PCA_RANKS,
                torch.ScalarType.Double);
    }

    @Override
    public int[] pcaRanks() {
        return pcaRanks.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationOptions a && rowCap == a.rowCap && gramRows == a.gramRows
                && gramSeed == a.gramSeed && Arrays.equals(pcaRanks, a.pcaRanks) && computeType == a.computeType;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pcaRanks) * 31 + Long.hashCode(gramSeed) + rowCap * 7 + gramRows;
    }

    @Override
    public String toString() {
        return "ActivationOptions[rowCap=" + rowCap + ", gramRows=" + gramRows + ", gramSeed=" + gramSeed
                + ", pcaRanks=" + Arrays.toString(pcaRanks) + ", computeType=" + computeType + "]";
    }
}
