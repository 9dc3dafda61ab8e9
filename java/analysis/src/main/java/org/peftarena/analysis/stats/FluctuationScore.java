package org.peftarena.analysis.stats;

/**
 * Roughness of a profile: {@code mean_i |x_i - MA(x)_i|} with {@code MA} the window-5 moving
 * average of {@code x} padded by reflection (two values each side, edge not repeated, as
 * {@code torch.nn.functional.pad(mode='reflect')}); 0 when the profile has fewer than 5 values.
 */
public final class FluctuationScore {
    /** Moving-average window. */
    public static final int WINDOW = 5;
    private static final int HALF = WINDOW / 2;

    private FluctuationScore() {}

    /**
     * @param x the profile, double [n]
     * @return the fluctuation score (not normalised), 0 when {@code n < 5}
     */
    public static double of(double[] x) {
        int n = x.length;
        if (n < WINDOW) {
            return 0;
        }
        double[] ma = movingAverage(x);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(x[i] - ma[i]);
        }
        return s / n;
    }

    /**
     * The padded sequence {@code [x2, x1, x0, x1, ..., x(n-1), x(n-2), x(n-3)]}.
     *
     * @param x double [n], {@code n >= 3}
     * @return double [n + 4]
     */
    public static double[] reflectPad(double[] x) {
        int n = x.length;
        if (n <= HALF) {
            throw new IllegalArgumentException("reflection padding of " + HALF + " needs more than " + HALF
                    + " values, got " + n);
        }
        double[] p = new double[n + 2 * HALF];
        for (int i = 0; i < HALF; i++) {
            p[i] = x[HALF - i];
            p[n + HALF + i] = x[n - 2 - i];
        }
        System.arraycopy(x, 0, p, HALF, n);
        return p;
    }

    /**
     * Window-5 moving average over the reflection-padded profile.
     *
     * @param x double [n], {@code n >= 3}
     * @return double [n], entry i the mean of the padded values centred on {@code x_i}
     */
    public static double[] movingAverage(double[] x) {
        double[] p = reflectPad(x);
        double[] ma = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int w = 0; w < WINDOW; w++) {
                s += p[i + w];
            }
            ma[i] = s / WINDOW;
        }
        return ma;
    }
}
