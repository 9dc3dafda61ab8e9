package org.peftarena.analysis.stats;

/**
 * Student's t distribution: two-sided tail probabilities, through the regularised incomplete beta
 * function {@code P(|T| >= t) = I_{df / (df + t^2)}(df / 2, 1 / 2)}.
 */
public final class StudentT {
    private static final int MAX_ITERATIONS = 300;
    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    private StudentT() {}

    /**
     * @param t  the statistic
     * @param df degrees of freedom, positive
     * @return {@code P(|T| >= |t|)}; NaN when t is NaN or df is not positive
     */
    public static double twoSided(double t, double df) {
        if (Double.isNaN(t) || !(df > 0)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /**
     * The two-sided p-value of a correlation coefficient under the null of no association, from
     * {@code t = r sqrt(df / (1 - r^2))}.
     *
     * @param r  Pearson's r (or Spearman's rho: the usual large-sample approximation)
     * @param df degrees of freedom ({@code n - 2} for a plain correlation)
     * @return the p-value, NaN when r is NaN or df is not positive
     */
    public static double correlationP(double r, double df) {
        if (Double.isNaN(r) || !(df > 0)) {
            return Double.NaN;
        }
        double r2 = Math.min(1, r * r);
        return r2 >= 1 ? 0 : twoSided(Math.sqrt(df * r2 / (1 - r2)), df);
    }

    /**
     * @param x in [0, 1]
     * @param a positive
     * @param b positive
     * @return the regularised incomplete beta function {@code I_x(a, b)}
     */
    public static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    /** Lentz's method for the incomplete beta continued fraction. */
    private static double continuedFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < TINY ? TINY : d);
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + num / c;
            c = Math.abs(c) < TINY ? TINY : c;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + num / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                break;
            }
        }
        return h;
    }

    /** Lanczos approximation (g = 7, n = 9) of {@code ln Gamma(x)} for x > 0. */
    static double logGamma(double x) {
        double[] c = {0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531,
            -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-06,
            1.5056327351493116e-07};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double y = x - 1;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) {
            sum += c[i] / (y + i);
        }
        double t = y + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
