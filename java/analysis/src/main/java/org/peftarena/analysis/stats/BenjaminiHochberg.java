package org.peftarena.analysis.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini-Hochberg adjustment of p-values for the false discovery rate: with the m finite
 * p-values sorted ascending, {@code q_(i) = min_{j >= i} min(1, m p_(j) / j)}.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {}

    /**
     * @param p p-values in any order; NaN ones are left out of m and stay NaN
     * @return the adjusted p-values, in the same order
     */
    public static double[] adjust(double[] p) {
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        int m = order.length;
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            if (p[i] < 0 || p[i] > 1) {
                throw new IllegalArgumentException("p-value outside [0, 1]: " + p[i]);
            }
            running = Math.min(running, Math.min(1, m * p[i] / rank));
            out[i] = running;
        }
        return out;
    }
}
