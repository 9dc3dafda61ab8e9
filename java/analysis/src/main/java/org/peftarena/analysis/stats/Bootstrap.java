package org.peftarena.analysis.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Seeded nonparametric bootstrap: resamples of indices drawn with replacement, statistics over
 * them, and percentile intervals. The same seed gives the same replicates on every machine.
 */
public final class Bootstrap {
    /** Replicates used when the caller does not say. */
    public static final int DEFAULT_REPLICATES = 2000;
    /** Two-sided confidence level used when the caller does not say. */
    public static final double DEFAULT_LEVEL = 0.95;

    private Bootstrap() {}

    /**
     * How to bootstrap.
     *
     * @param replicates resamples drawn (at least 1)
     * @param level      two-sided confidence level in (0, 1)
     * @param seed       random seed
     */
    public record Options(int replicates, double level, long seed) {
        /** The defaults with seed 0. */
        public static final Options DEFAULT = new Options(DEFAULT_REPLICATES, DEFAULT_LEVEL, 0);

        /** Checks the values. */
        public Options {
            if (replicates < 1) {
                throw new IllegalArgumentException("bootstrap replicates must be at least 1, got " + replicates);
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
            }
        }
    }

    /**
     * A two-sided interval; both ends NaN when no replicate was finite.
     *
     * @param lower lower end
     * @param upper upper end
     * @param level confidence level
     */
    public record Interval(double lower, double upper, double level) {
        /** The interval of no information. */
        public static Interval undefined(double level) {
            return new Interval(Double.NaN, Double.NaN, level);
        }

        /** @return whether both ends are finite */
        public boolean defined() {
            return Double.isFinite(lower) && Double.isFinite(upper);
        }

        /** @return whether v lies in [lower, upper] */
        public boolean contains(double v) {
            return v >= lower && v <= upper;
        }

        /** @return whether the whole interval lies above v */
        public boolean above(double v) {
            return lower > v;
        }

        /** @return whether the whole interval lies below v */
        public boolean below(double v) {
            return upper < v;
        }
    }

    /**
     * @param sorted ascending values, no NaN, at least one
     * @param q      probability in [0, 1]
     * @return the q-quantile, interpolating linearly between order statistics at {@code (n - 1) q}
     */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The percentile interval: the {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of
     * the finite replicates.
     *
     * @param replicates bootstrap replicates of a statistic (NaN ones are left out)
     * @param level      confidence level
     * @return the interval, undefined when no replicate is finite
     */
    public static Interval percentile(double[] replicates, double level) {
        double[] finite = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Interval.undefined(level);
        }
        return new Interval(quantile(finite, (1 - level) / 2), quantile(finite, (1 + level) / 2), level);
    }

    /**
     * @param n   sample size
     * @param rnd the generator
     * @return n indices in [0, n) drawn with replacement
     */
    public static int[] resample(int n, SplittableRandom rnd) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = rnd.nextInt(n);
        }
        return idx;
    }

    /**
     * Resamples within strata: each stratum's members are drawn with replacement from that stratum,
     * so every resample keeps the stratum sizes.
     *
     * @param strata stratum of each observation, int [n] (any labels)
     * @param rnd    the generator
     * @return n indices, observation i replaced by a draw from its own stratum
     */
    public static int[] resampleWithin(int[] strata, SplittableRandom rnd) {
        java.util.Map<Integer, int[]> members = new java.util.HashMap<>();
        for (int s : Arrays.stream(strata).distinct().toArray()) {
            members.put(s, java.util.stream.IntStream.range(0, strata.length).filter(i -> strata[i] == s).toArray());
        }
        int[] idx = new int[strata.length];
        for (int i = 0; i < strata.length; i++) {
            int[] m = members.get(strata[i]);
            idx[i] = m[rnd.nextInt(m.length)];
        }
        return idx;
    }

    /**
     * @param n         sample size
     * @param options   replicates and seed
     * @param statistic the statistic of a resample, given its indices
     * @return one value per replicate
     */
    public static double[] replicates(int n, Options options, ToDoubleFunction<int[]> statistic) {
        SplittableRandom rnd = new SplittableRandom(options.seed());
        double[] out = new double[options.replicates()];
        for (int b = 0; b < out.length; b++) {
            out[b] = statistic.applyAsDouble(resample(n, rnd));
        }
        return out;
    }

    /**
     * @param x         the sample
     * @param statistic a statistic of a sample
     * @param options   replicates, level and seed
     * @return the percentile interval of the statistic
     */
    public static Interval interval(double[] x, ToDoubleFunction<double[]> statistic, Options options) {
        return percentile(replicates(x.length, options, idx -> statistic.applyAsDouble(select(x, idx))),
                options.level());
    }

    /** @return {@code x[idx[0]], x[idx[1]], ...} */
    public static double[] select(double[] x, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }
}
