package org.peftarena.analysis.stats;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Correlations with bootstrap intervals and p-values, pooled or within groups. The within-group
 * (partial) correlation removes each group's mean from both variables first, so a correlation that
 * only reflects differences between groups (update size between configurations, for example)
 * disappears; its bootstrap resamples within each group and re-centres every resample.
 */
public final class CorrelationInference {
    private CorrelationInference() {}

    /**
     * @param x       double [n]
     * @param y       double [n]
     * @param options replicates, level and seed
     * @return the pooled estimate; p-values with {@code n - 2} degrees of freedom
     */
    public static CorrelationEstimate pooled(double[] x, double[] y, Bootstrap.Options options) {
        return estimate(x, y, new int[x.length], 0, x.length, options);
    }

    /**
     * @param x       double [n]
     * @param y       double [n]
     * @param groups  group index of each observation, int [n]
     * @param options replicates, level and seed
     * @return the within-group estimate over the observations in groups of two or more (singletons
     *     carry no within-group information); p-values with {@link #withinDegreesOfFreedom} degrees
     *     of freedom
     */
    public static CorrelationEstimate withinGroups(double[] x, double[] y, int[] groups, Bootstrap.Options options) {
        if (x.length != y.length || x.length != groups.length) {
            throw new IllegalArgumentException("x, y and groups differ in length: " + x.length + ", " + y.length + ", "
                    + groups.length);
        }
        boolean[] keep = GroupCentering.inSharedGroup(groups);
        int[] idx = IntStream.range(0, x.length).filter(i -> keep[i]).toArray();
        double[] xs = Bootstrap.select(x, idx);
        double[] ys = Bootstrap.select(y, idx);
        int[] gs = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            gs[i] = groups[idx[i]];
        }
        int g = (int) java.util.Arrays.stream(gs).distinct().count();
        return estimate(GroupCentering.centre(xs, gs), GroupCentering.centre(ys, gs), gs, g, idx.length, options,
                xs, ys);
    }

    /**
     * @param n observations in groups of two or more
     * @param g such groups
     * @return {@code n - g - 1}: a correlation after removing g group means (g - 1 dummy
     *     regressors and the intercept of each side) leaves that many degrees of freedom
     */
    public static int withinDegreesOfFreedom(int n, int g) {
        return n - g - 1;
    }

    private static CorrelationEstimate estimate(double[] x, double[] y, int[] groups, int g, int n,
                                                Bootstrap.Options options) {
        return estimate(x, y, groups, g, n, options, null, null);
    }

    private static CorrelationEstimate estimate(double[] x, double[] y, int[] groups, int g, int n,
                                                Bootstrap.Options options, double[] rawX, double[] rawY) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + x.length + " vs " + y.length);
        }
        double r = Correlation.pearson(x, y);
        double rho = Correlation.spearman(x, y);
        int df = g == 0 ? n - 2 : withinDegreesOfFreedom(n, g);
        double[] bootR = new double[options.replicates()];
        double[] bootRho = new double[options.replicates()];
        SplittableRandom rnd = new SplittableRandom(options.seed());
        for (int b = 0; b < bootR.length; b++) {
            double[] bx;
            double[] by;
            if (g == 0) {
                int[] idx = Bootstrap.resample(n, rnd);
                bx = Bootstrap.select(x, idx);
                by = Bootstrap.select(y, idx);
            } else {
                int[] idx = Bootstrap.resampleWithin(groups, rnd);
                int[] bg = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    bg[i] = groups[idx[i]];
                }
                bx = GroupCentering.centre(Bootstrap.select(rawX, idx), bg);
                by = GroupCentering.centre(Bootstrap.select(rawY, idx), bg);
            }
            bootR[b] = n < 2 ? Double.NaN : Correlation.pearson(bx, by);
            bootRho[b] = n < 2 ? Double.NaN : Correlation.spearman(bx, by);
        }
        return new CorrelationEstimate(n, g, r, Bootstrap.percentile(bootR, options.level()),
                StudentT.correlationP(r, df), rho, Bootstrap.percentile(bootRho, options.level()),
                StudentT.correlationP(rho, df));
    }
}
