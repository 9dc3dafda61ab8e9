package org.peftarena.analysis.stats;

import java.util.SplittableRandom;

/**
 * A paired bootstrap test of "predictor A tracks the outcome Y better than predictor B": both
 * correlations are computed on the same resample of observations, and the difference
 * {@code |r(A, Y)| - |r(B, Y)|} is bootstrapped (with one predictor, R^2 = r^2, so comparing |r|
 * and comparing R^2 are the same test). The one-sided p-value is {@code (1 + #{d* <= 0}) / (B + 1)}
 * over the B finite replicates d*: small when A is better in nearly every resample.
 */
public final class PredictorComparison {
    private PredictorComparison() {}

    /**
     * @param n          paired observations
     * @param absA       |r(A, Y)|
     * @param absB       |r(B, Y)|
     * @param difference {@code absA - absB}
     * @param interval   bootstrap interval of the difference
     * @param pValue     one-sided bootstrap p-value of "A is not better than B"
     */
    public record Result(int n, double absA, double absB, double difference, Bootstrap.Interval interval,
                         double pValue) {
    }

    /**
     * @param a       predictor A, double [n]
     * @param b       predictor B, double [n]
     * @param y       the outcome, double [n]
     * @param options replicates, level and seed
     * @return the comparison (NaN values when a correlation is undefined)
     */
    public static Result compare(double[] a, double[] b, double[] y, Bootstrap.Options options) {
        if (a.length != y.length || b.length != y.length) {
            throw new IllegalArgumentException("predictors and outcome differ in length: " + a.length + ", " + b.length
                    + ", " + y.length);
        }
        int n = y.length;
        double ra = Math.abs(Correlation.pearson(a, y));
        double rb = Math.abs(Correlation.pearson(b, y));
        double[] d = new double[options.replicates()];
        SplittableRandom rnd = new SplittableRandom(options.seed());
        int finite = 0;
        int notBetter = 0;
        for (int i = 0; i < d.length; i++) {
            int[] idx = Bootstrap.resample(n, rnd);
            double[] ys = Bootstrap.select(y, idx);
            d[i] = Math.abs(Correlation.pearson(Bootstrap.select(a, idx), ys))
                    - Math.abs(Correlation.pearson(Bootstrap.select(b, idx), ys));
            if (Double.isFinite(d[i])) {
                finite++;
                if (d[i] <= 0) {
                    notBetter++;
                }
            }
        }
        double p = finite == 0 ? Double.NaN : (1.0 + notBetter) / (finite + 1.0);
        return new Result(n, ra, rb, ra - rb, Bootstrap.percentile(d, options.level()), p);
    }
}
