package org.peftarena.peft.oft;

/** Block-size arithmetic shared by the orthogonal methods. */
public final class BlockSizes {
    private BlockSizes() {}

    /**
     * HF PEFT's adjustment of a block size that does not divide {@code in}: the nearest divisor,
     * the lower one on a tie, and {@code in} itself when the block size exceeds it.
     */
    public static long nearestDivisor(long in, long b) {
        if (b >= in) {
            return in;
        }
        long higher = b;
        while (higher <= in && in % higher != 0) {
            higher++;
        }
        long lower = b;
        while (lower > 1 && in % lower != 0) {
            lower--;
        }
        return (b - lower) <= (higher - b) ? lower : higher;
    }

    /** Number of strict-upper-triangle entries of a {@code b x b} matrix. */
    public static long triangle(long b) {
        return b * (b - 1) / 2;
    }
}
