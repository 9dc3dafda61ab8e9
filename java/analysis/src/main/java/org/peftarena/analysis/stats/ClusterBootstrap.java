package org.peftarena.analysis.stats;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Cluster-bootstrap standard errors of scores that are ratios of counts over clusters (documents or
 * problems): a task's score is {@code 100 * sum(correct) / sum(total)} over its clusters, an
 * aggregate is the unweighted mean of its tasks' scores. Each replicate resamples every task's
 * clusters with replacement, independently per task; a paired difference (model minus reference on
 * the same clusters) applies the same resampled clusters to both, so what the two share cancels.
 * The standard error is the sample standard deviation of the replicates. Replicates are drawn
 * from a fixed seed: equal inputs give equal errors.
 */
public final class ClusterBootstrap {
    /** Replicates of {@link #defaults()}. */
    public static final int DEFAULT_REPLICATES = 1000;
    /** Seed of {@link #defaults()}. */
    public static final long DEFAULT_SEED = 20261203L;

    private final int replicates;
    private final long seed;

    /**
     * @param replicates bootstrap replicates, >= 2
     * @param seed       seed of the resampling
     */
    public ClusterBootstrap(int replicates, long seed) {
        if (replicates < 2) {
            throw new IllegalArgumentException("replicates must be >= 2, got " + replicates);
        }
        this.replicates = replicates;
        this.seed = seed;
    }

    /** 1000 replicates from a fixed seed. */
    public static ClusterBootstrap defaults() {
        return new ClusterBootstrap(DEFAULT_REPLICATES, DEFAULT_SEED);
    }

    /**
     * The per-cluster counts of one task.
     *
     * @param correct correct predictions (or answers) per cluster
     * @param total   scored positions (or problems) per cluster, each > 0
     */
    @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString are overridden; arrays are copied
    public record Clusters(int[] correct, int[] total) {
        /** Checks the counts and copies them. */
        public Clusters {
            if (correct.length != total.length || correct.length == 0) {
                throw new IllegalArgumentException("need equally many correct and total counts, at least one; got "
                        + correct.length + " and " + total.length);
            }
            for (int i = 0; i < total.length; i++) {
                if (total[i] <= 0 || correct[i] < 0 || correct[i] > total[i]) {
                    throw new IllegalArgumentException("cluster " + i + ": need 0 <= correct <= total and total > 0,"
                            + " got " + correct[i] + "/" + total[i]);
                }
            }
            correct = correct.clone();
            total = total.clone();
        }

        /** Number of clusters. */
        public int size() {
            return total.length;
        }

        /** The score over all clusters, in percent. */
        public double percent() {
            long c = 0;
            long t = 0;
            for (int i = 0; i < total.length; i++) {
                c += correct[i];
                t += total[i];
            }
            return 100.0 * c / t;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Clusters other && java.util.Arrays.equals(correct, other.correct)
                    && java.util.Arrays.equals(total, other.total);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(correct) + java.util.Arrays.hashCode(total);
        }

        @Override
        public String toString() {
            return "Clusters[" + size() + " clusters, " + percent() + "%]";
        }
    }

    /** Standard error of one task's score, in points. */
    public double standardError(Clusters task) {
        return standardError(List.of(task));
    }

    /** Standard error of the unweighted mean of the tasks' scores, in points. */
    public double standardError(List<Clusters> tasks) {
        return replicateSd(tasks, null);
    }

    /**
     * Standard error of {@code mean(model) - mean(reference)} where both were scored on the same
     * clusters (task i of each list, cluster j of each task, the same document), in points.
     *
     * @throws IllegalArgumentException when the lists or their tasks differ in size
     */
    public double pairedStandardError(List<Clusters> reference, List<Clusters> model) {
        if (reference.size() != model.size()) {
            throw new IllegalArgumentException("paired scores need the same tasks, got " + reference.size() + " and "
                    + model.size());
        }
        for (int t = 0; t < reference.size(); t++) {
            if (reference.get(t).size() != model.get(t).size()) {
                throw new IllegalArgumentException("task " + t + ": paired scores need the same clusters, got "
                        + reference.get(t).size() + " and " + model.get(t).size());
            }
        }
        return replicateSd(model, reference);
    }

    /** Sample SD over replicates of mean_t(ratio(a_t)) - mean_t(ratio(b_t)) (b null: 0). */
    private double replicateSd(List<Clusters> a, List<Clusters> b) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("no tasks");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double sum = 0;
        double sumSq = 0;
        for (int r = 0; r < replicates; r++) {
            double value = 0;
            for (int t = 0; t < a.size(); t++) {
                Clusters x = a.get(t);
                Clusters y = b == null ? null : b.get(t);
                int n = x.size();
                long xc = 0;
                long xt = 0;
                long yc = 0;
                long yt = 0;
                for (int k = 0; k < n; k++) {
                    int j = random.nextInt(n);
                    xc += x.correct[j];
                    xt += x.total[j];
                    if (y != null) {
                        yc += y.correct[j];
                        yt += y.total[j];
                    }
                }
                value += 100.0 * xc / xt - (y == null ? 0 : 100.0 * yc / yt);
            }
            value /= a.size();
            sum += value;
            sumSq += value * value;
        }
        double mean = sum / replicates;
        return Math.sqrt(Math.max(0, (sumSq - replicates * mean * mean) / (replicates - 1)));
    }
}
