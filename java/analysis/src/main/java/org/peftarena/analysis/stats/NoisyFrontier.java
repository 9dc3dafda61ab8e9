package org.peftarena.analysis.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Pareto frontier (both objectives maximised) when the points are noisy: how often each point is
 * on the frontier when the scores are redrawn within their noise, and whether a point is dominated
 * beyond its standard errors or only within them.
 *
 * <p>Noise comes from one of two sources: standard errors of each point (each replicate draws every
 * point from a normal distribution around it; an unknown error counts as 0) or the seeds of each
 * configuration (each replicate resamples every group's runs with replacement and takes their mean).
 */
public final class NoisyFrontier {
    /** Standard errors a margin must exceed by default. */
    public static final double DEFAULT_Z = 1.0;

    private NoisyFrontier() {}

    /** Where a point stands. */
    public enum Status {
        /** No other point dominates it. */
        FRONTIER("frontier"),
        /** Dominated, but not beyond the standard errors. */
        WITHIN_ERRORS("dominated within errors"),
        /** Dominated beyond the standard errors. */
        DOMINATED("dominated");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** @return the words a report uses */
        public String label() {
            return label;
        }
    }

    /**
     * @param id        the point (or group)
     * @param frequency fraction of replicates in which it is on the frontier
     * @param status    its status on the unperturbed points
     * @param errors    whether its standard errors were known
     */
    public record Membership(String id, double frequency, Status status, boolean errors) {
    }

    /** Whether (x1, y1) dominates (x2, y2): at least as good on both and better on one. */
    public static boolean dominates(double x1, double y1, double x2, double y2) {
        return x1 >= x2 && y1 >= y2 && (x1 > x2 || y1 > y2);
    }

    /**
     * Whether q dominates p beyond their errors: q still dominates p after q is moved z combined
     * standard errors {@code sqrt(se_p^2 + se_q^2)} down on each axis. Without errors this is plain
     * domination.
     */
    public static boolean dominatesBeyondErrors(ScoredPoint q, ScoredPoint p, double z) {
        double cx = z * Math.hypot(p.xError(), q.xError());
        double cy = z * Math.hypot(p.yError(), q.yError());
        return dominates(q.x() - cx, q.y() - cy, p.x(), p.y());
    }

    /** @return whether each point is on the frontier of the given coordinates */
    public static boolean[] onFrontier(double[] x, double[] y) {
        boolean[] out = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = true;
            for (int j = 0; j < x.length && out[i]; j++) {
                if (dominates(x[j], y[j], x[i], y[i])) {
                    out[i] = false;
                }
            }
        }
        return out;
    }

    /**
     * @param points the points
     * @param z      standard errors a domination margin must exceed
     * @return the status of each point, in order
     */
    public static List<Status> status(List<ScoredPoint> points, double z) {
        List<Status> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            ScoredPoint p = points.get(i);
            Status s = Status.FRONTIER;
            for (int j = 0; j < points.size(); j++) {
                ScoredPoint q = points.get(j);
                if (i == j) {
                    continue;
                }
                if (dominatesBeyondErrors(q, p, z)) {
                    s = Status.DOMINATED;
                    break;
                }
                if (dominates(q.x(), q.y(), p.x(), p.y())) {
                    s = Status.WITHIN_ERRORS;
                }
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Frontier membership when every point is redrawn from {@code N(x, xSe)}, {@code N(y, ySe)}.
     *
     * @param points  the points (unknown errors count as 0: such a point does not move)
     * @param z       standard errors for the status
     * @param options replicates and seed (the level is not used)
     * @return one membership per point, in order
     */
    public static List<Membership> fromStandardErrors(List<ScoredPoint> points, double z, Bootstrap.Options options) {
        int n = points.size();
        int[] hits = new int[n];
        SplittableRandom rnd = new SplittableRandom(options.seed());
        double[] x = new double[n];
        double[] y = new double[n];
        for (int b = 0; b < options.replicates(); b++) {
            for (int i = 0; i < n; i++) {
                ScoredPoint p = points.get(i);
                x[i] = p.x() + p.xError() * gaussian(rnd);
                y[i] = p.y() + p.yError() * gaussian(rnd);
            }
            count(onFrontier(x, y), hits);
        }
        List<Status> status = status(points, z);
        List<Membership> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Membership(points.get(i).id(), hits[i] / (double) options.replicates(), status.get(i),
                    points.get(i).hasErrors()));
        }
        return out;
    }

    /**
     * Frontier membership of configurations over their runs: each replicate resamples every group's
     * runs with replacement, redraws each drawn run within its own standard errors (none when
     * unknown), and places the group at their mean. Seeds and evaluation noise both move a group.
     * The status is that of the group means ({@link #groupMeans}).
     *
     * @param runs    one point per run; {@link ScoredPoint#group()} names its configuration
     * @param z       standard errors for the status
     * @param options replicates and seed
     * @return one membership per group, in order of first appearance
     */
    public static List<Membership> fromRuns(List<ScoredPoint> runs, double z, Bootstrap.Options options) {
        Map<String, List<ScoredPoint>> byGroup = byGroup(runs);
        List<List<ScoredPoint>> groups = List.copyOf(byGroup.values());
        int g = groups.size();
        int[] hits = new int[g];
        double[] x = new double[g];
        double[] y = new double[g];
        SplittableRandom rnd = new SplittableRandom(options.seed());
        for (int b = 0; b < options.replicates(); b++) {
            for (int i = 0; i < g; i++) {
                List<ScoredPoint> members = groups.get(i);
                double sx = 0;
                double sy = 0;
                for (int k = 0; k < members.size(); k++) {
                    ScoredPoint p = members.get(members.size() == 1 ? 0 : rnd.nextInt(members.size()));
                    sx += p.x() + (p.xError() == 0 ? 0 : p.xError() * gaussian(rnd));
                    sy += p.y() + (p.yError() == 0 ? 0 : p.yError() * gaussian(rnd));
                }
                x[i] = sx / members.size();
                y[i] = sy / members.size();
            }
            count(onFrontier(x, y), hits);
        }
        List<ScoredPoint> means = groupMeans(runs);
        List<Status> status = status(means, z);
        List<Membership> out = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            out.add(new Membership(means.get(i).id(), hits[i] / (double) options.replicates(), status.get(i),
                    means.get(i).hasErrors()));
        }
        return out;
    }

    /**
     * @param runs one point per run
     * @return one point per group at the mean of its runs; its standard error is that of the mean
     *     over the runs ({@code sd / sqrt(k)}) for two or more runs, the run's own for one run (NaN
     *     when unknown); id and group are the group name
     */
    public static List<ScoredPoint> groupMeans(List<ScoredPoint> runs) {
        List<ScoredPoint> out = new ArrayList<>();
        byGroup(runs).forEach((name, members) -> {
            double[] xs = members.stream().mapToDouble(ScoredPoint::x).toArray();
            double[] ys = members.stream().mapToDouble(ScoredPoint::y).toArray();
            boolean one = members.size() == 1;
            out.add(new ScoredPoint(name, mean(xs), one ? members.get(0).xSe() : standardError(xs), mean(ys),
                    one ? members.get(0).ySe() : standardError(ys), name));
        });
        return out;
    }

    /** @return the sample standard deviation over sqrt(n), NaN for fewer than two values */
    public static double standardError(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }

    private static Map<String, List<ScoredPoint>> byGroup(List<ScoredPoint> runs) {
        Map<String, List<ScoredPoint>> out = new LinkedHashMap<>();
        runs.forEach(p -> out.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p));
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static void count(boolean[] on, int[] hits) {
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                hits[i]++;
            }
        }
    }

    /** A standard normal draw (Box-Muller), reproducible from the generator alone. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
