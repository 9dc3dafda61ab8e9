package org.peftarena.analysis.stats;

import java.util.Arrays;
import java.util.Comparator;

/** Pearson and Spearman correlation between two paired samples. */
public final class Correlation {
    private Correlation() {}

    /**
     * @param x double [n]
     * @param y double [n]
     * @return Pearson's r; NaN when {@code n < 2} or either sample is constant
     */
    public static double pearson(double[] x, double[] y) {
        checkPaired(x, y);
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /**
     * @param x double [n]
     * @param y double [n]
     * @return Spearman's rho: Pearson's r of the ranks, tied values sharing their average rank
     */
    public static double spearman(double[] x, double[] y) {
        checkPaired(x, y);
        return pearson(ranks(x), ranks(y));
    }

    /**
     * @param x double [n], no NaN
     * @return 1-based ranks, ties averaged, double [n]
     */
    public static double[] ranks(double[] x) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i])) {
                throw new IllegalArgumentException("cannot rank NaN (index " + i + ")");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double average = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                r[order[t]] = average;
            }
            i = j + 1;
        }
        return r;
    }

    private static void checkPaired(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
    }
}
