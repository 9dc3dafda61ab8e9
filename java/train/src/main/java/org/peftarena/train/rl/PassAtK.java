package org.peftarena.train.rl;

/**
 * The unbiased pass@k estimator from {@code n} samples of which {@code c} are correct:
 * {@code 1 - C(n - c, k) / C(n, k)}, computed as a product so large n does not overflow.
 */
public final class PassAtK {
    private static final int[] DEFAULT_KS = {1, 2, 4, 8, 16};

    private PassAtK() {}

    /** The k reported by evaluations: 1, 2, 4, 8, 16 (a fresh array). */
    public static int[] defaultKs() {
        return DEFAULT_KS.clone();
    }

    /**
     * @param n samples, >= k
     * @param c correct samples, in [0, n]
     * @param k budget, >= 1
     * @return the probability that at least one of k samples drawn without replacement is correct
     */
    public static double estimate(int n, int c, int k) {
        if (k < 1 || n < k || c < 0 || c > n) {
            throw new IllegalArgumentException("need 1 <= k <= n and 0 <= c <= n, got n=" + n + " c=" + c + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double fail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            fail *= 1.0 - (double) k / i;
        }
        return 1.0 - fail;
    }
}
