package org.peftarena.peft.boft;

import org.peftarena.peft.PeftException;

/**
 * The butterfly permutations of BOFT, built exactly as HF PEFT's {@code block_butterfly_perm}.
 *
 * <p>A permutation is an index vector {@code perm} standing for the matrix {@code P} with
 * {@code P[i, perm[i]] = 1}. For a row vector {@code x}, {@code x P^T = x[perm]} (gather) and
 * {@code x P = x[inverse(perm)]}.
 */
public final class ButterflyPermutation {
    private ButterflyPermutation() {}

    /**
     * HF PEFT's {@code block_butterfly_perm(n, b, r, n_butterfly_factor)}: the indices are cut into
     * {@code b} chunks of {@code n/b}; each chunk is cut into pieces of {@code r} and reordered as
     * the even pieces followed by the odd pieces. With {@code internalFactors == 0} (one butterfly
     * factor in total) it is the identity.
     *
     * @param n size of the permutation
     * @param chunks b, the number of chunks (blocks after the permutation)
     * @param piece r, the piece size (half the BOFT block size)
     * @param internalFactors HF's {@code boft_n_butterfly_factor - 1}
     * @throws PeftException if {@code chunks * piece * 2 > n} (HF's "Invalid number of blocks")
     */
    public static long[] blockButterfly(int n, int chunks, int piece, int internalFactors) {
        long[] indices = identity(n);
        if (internalFactors == 0) {
            return indices;
        }
        if ((long) chunks * piece * 2 > n || chunks <= 0 || piece <= 0 || n % chunks != 0) {
            throw new PeftException("boft: invalid butterfly layout: " + n + " features, " + chunks + " chunks, pieces of " + piece);
        }
        int chunk = n / chunks;
        int pieces = chunk / piece;
        int[] order = new int[chunk];
        int k = 0;
        for (int start = 0; start < 2; start++) {
            for (int p = start; p < pieces; p += 2) {
                for (int j = 0; j < piece; j++) {
                    order[k++] = p * piece + j;
                }
            }
        }
        long[] out = new long[n];
        for (int c = 0; c < n; c += chunk) {
            for (int j = 0; j < chunk; j++) {
                out[c + j] = indices[c + order[j]];
            }
        }
        return out;
    }

    /**
     * The permutation of each butterfly factor {@code i = 0 .. m-1}, as HF PEFT builds them in
     * {@code update_layer}: {@code block_butterfly_perm(in, blocks / 2^i, b / 2, m - 1)}.
     *
     * @param in input features
     * @param blockSize b
     * @param factors m
     * @return {@code [m][in]} index vectors
     */
    public static long[][] factors(int in, int blockSize, int factors) {
        int blocks = in / blockSize;
        long[][] out = new long[factors][];
        for (int i = 0; i < factors; i++) {
            out[i] = blockButterfly(in, blocks >> i, blockSize / 2, factors - 1);
        }
        return out;
    }

    /** The inverse permutation: {@code inv[perm[i]] = i}. */
    public static long[] inverse(long[] perm) {
        long[] inv = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[(int) perm[i]] = i;
        }
        return inv;
    }

    /** Whether {@code perm} leaves every index in place. */
    public static boolean isIdentity(long[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static long[] identity(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }
}
