package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peftarena.analysis.run.ModuleDiagnostics;
import org.peftarena.analysis.stats.BenjaminiHochberg;
import org.peftarena.analysis.stats.Bootstrap;
import org.peftarena.analysis.stats.CorrelationEstimate;
import org.peftarena.analysis.stats.CorrelationInference;
import org.peftarena.analysis.stats.GroupCentering;
import org.peftarena.analysis.stats.PredictorComparison;
import org.peftarena.analysis.weights.WeightDiagnostics;

/**
 * The correlations of a report with their uncertainty: every metric averaged over the module
 * locations against Forget across runs, pooled and within groups (each group's mean removed: the
 * group is the report's run group, method and budget and, where runs have one, learning rate), with
 * bootstrap intervals and Benjamini-Hochberg adjusted p-values over the metrics shown, and a paired
 * bootstrap test of each activation metric against the weight-space baseline {@code normF(dW) /
 * normF(W0)}. Rows with fewer than {@link #MIN_RUNS} runs are kept but not shown.
 */
public final class ForgetInference {
    /** Fewest runs for which a row is shown. */
    public static final int MIN_RUNS = 8;
    /** Level under which an adjusted p-value counts as significant in the claims. */
    public static final double ALPHA = 0.05;
    /** The weight-space baseline, averaged over module locations. */
    public static final String RELATIVE_NORM = DiagnosticsSection.MEAN + "/" + ModuleDiagnostics.WEIGHT + "/"
            + WeightDiagnostics.RELATIVE_UPDATE_NORM;
    /** The absolute weight-space baseline, averaged over module locations. */
    public static final String NORM = DiagnosticsSection.MEAN + "/" + ModuleDiagnostics.WEIGHT + "/"
            + WeightDiagnostics.UPDATE_NORM;
    /** Bootstrap settings of every interval in the section. */
    static final Bootstrap.Options BOOTSTRAP = new Bootstrap.Options(2000, 0.95, 20261203L);

    private ForgetInference() {
    }

    /**
     * One metric against Forget. Numbers are null where undefined.
     *
     * @param metric         metric key without the {@code mean/} prefix
     * @param n              runs with the metric and Forget
     * @param shown          whether n reaches {@link #MIN_RUNS}
     * @param pearson        Pearson's r, pooled
     * @param pearsonLow     its bootstrap interval
     * @param pearsonHigh    its bootstrap interval
     * @param pearsonQ       its Benjamini-Hochberg adjusted p-value over the shown rows
     * @param spearman       Spearman's rho, pooled
     * @param spearmanLow    its bootstrap interval
     * @param spearmanHigh   its bootstrap interval
     * @param spearmanQ      its adjusted p-value
     * @param withinN        runs in groups of two or more
     * @param withinGroups   such groups
     * @param withinPearson  Pearson's r after removing each group's mean
     * @param withinLow      its bootstrap interval (resampled within groups)
     * @param withinHigh     its bootstrap interval
     * @param withinQ        its adjusted p-value
     */
    public record Row(String metric, int n, boolean shown, Double pearson, Double pearsonLow, Double pearsonHigh,
                      Double pearsonQ, Double spearman, Double spearmanLow, Double spearmanHigh, Double spearmanQ,
                      int withinN, int withinGroups, Double withinPearson, Double withinLow, Double withinHigh,
                      Double withinQ) {
    }

    /**
     * An activation metric against the weight-space baseline as a predictor of Forget.
     *
     * @param metric     activation metric key without the {@code mean/} prefix
     * @param baseline   the baseline's key without the prefix
     * @param n          runs with both and Forget
     * @param absMetric  |r(metric, Forget)|
     * @param absBaseline |r(baseline, Forget)|
     * @param difference their difference
     * @param low        its bootstrap interval
     * @param high       its bootstrap interval
     * @param p          one-sided bootstrap p-value of "the metric is not better"
     * @param q          Benjamini-Hochberg adjusted over the metrics compared
     */
    public record Comparison(String metric, String baseline, int n, Double absMetric, Double absBaseline,
                             Double difference, Double low, Double high, Double p, Double q) {
    }

    /**
     * @param rows        averaged metrics against Forget, by metric key
     * @param comparisons activation metrics on the general prompts against the relative weight norm
     * @param strongest   the shown metric with the largest |pooled Pearson r|, or null
     */
    public record Result(List<Row> rows, List<Comparison> comparisons, String strongest) {
    }

    /**
     * @param entries the runs with diagnostics; {@link DiagnosticsSection.RunEntry#group()} groups them
     * @return the rows, comparisons and strongest metric
     */
    public static Result compute(List<DiagnosticsSection.RunEntry> entries) {
        String prefix = DiagnosticsSection.MEAN + "/";
        TreeSet<String> keys = new TreeSet<>();
        entries.forEach(e -> e.metrics().keySet().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add));
        List<CorrelationEstimate> pooled = new ArrayList<>();
        List<CorrelationEstimate> within = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String key : keys) {
            List<DiagnosticsSection.RunEntry> with = paired(entries, key, null);
            if (with.size() < 3) {
                continue;
            }
            double[] x = values(with, key);
            double[] y = forget(with);
            names.add(key);
            pooled.add(CorrelationInference.pooled(x, y, BOOTSTRAP));
            within.add(CorrelationInference.withinGroups(x, y,
                    GroupCentering.indices(with.stream().map(DiagnosticsSection.RunEntry::group).toList()), BOOTSTRAP));
        }
        double[] qp = adjusted(pooled, true, null);
        double[] qs = adjusted(pooled, false, null);
        double[] qw = adjusted(within, true, pooled);
        List<Row> rows = new ArrayList<>();
        String strongest = null;
        double best = -1;
        for (int i = 0; i < names.size(); i++) {
            CorrelationEstimate p = pooled.get(i);
            CorrelationEstimate w = within.get(i);
            boolean shown = p.n() >= MIN_RUNS;
            String metric = names.get(i).substring(prefix.length());
            rows.add(new Row(metric, p.n(), shown, num(p.pearson()), num(p.pearsonCi().lower()),
                    num(p.pearsonCi().upper()), num(qp[i]), num(p.spearman()), num(p.spearmanCi().lower()),
                    num(p.spearmanCi().upper()), num(qs[i]), w.n(), w.groups(), num(w.pearson()),
                    num(w.pearsonCi().lower()), num(w.pearsonCi().upper()), num(qw[i])));
            if (shown && Double.isFinite(p.pearson()) && Math.abs(p.pearson()) > best && !isBaseline(names.get(i))) {
                best = Math.abs(p.pearson());
                strongest = metric;
            }
        }
        return new Result(rows, comparisons(entries, keys), strongest);
    }

    private static boolean isBaseline(String key) {
        return key.equals(RELATIVE_NORM) || key.equals(NORM);
    }

    private static List<Comparison> comparisons(List<DiagnosticsSection.RunEntry> entries,
                                                java.util.Set<String> keys) {
        String act = DiagnosticsSection.MEAN + "/" + ModuleDiagnostics.ACT_GENERAL + "/";
        List<String> metrics = new ArrayList<>();
        List<PredictorComparison.Result> results = new ArrayList<>();
        for (String key : keys) {
            if (!key.startsWith(act)) {
                continue;
            }
            List<DiagnosticsSection.RunEntry> with = paired(entries, key, RELATIVE_NORM);
            if (with.size() < 3) {
                continue;
            }
            metrics.add(key);
            results.add(PredictorComparison.compare(values(with, key), values(with, RELATIVE_NORM), forget(with),
                    BOOTSTRAP));
        }
        double[] p = results.stream().mapToDouble(r -> r.n() >= MIN_RUNS ? r.pValue() : Double.NaN).toArray();
        double[] q = BenjaminiHochberg.adjust(p);
        String prefix = DiagnosticsSection.MEAN + "/";
        List<Comparison> out = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            PredictorComparison.Result r = results.get(i);
            out.add(new Comparison(metrics.get(i).substring(prefix.length()), RELATIVE_NORM.substring(prefix.length()),
                    r.n(), num(r.absA()), num(r.absB()), num(r.difference()), num(r.interval().lower()),
                    num(r.interval().upper()), num(r.pValue()), num(q[i])));
        }
        return out;
    }

    /** BH over the rows with at least MIN_RUNS runs (of {@code shownBy}, or the estimates themselves). */
    private static double[] adjusted(List<CorrelationEstimate> estimates, boolean pearson,
                                     List<CorrelationEstimate> shownBy) {
        double[] p = new double[estimates.size()];
        for (int i = 0; i < p.length; i++) {
            CorrelationEstimate e = estimates.get(i);
            boolean shown = (shownBy == null ? e : shownBy.get(i)).n() >= MIN_RUNS;
            p[i] = shown ? (pearson ? e.pearsonP() : e.spearmanP()) : Double.NaN;
        }
        return BenjaminiHochberg.adjust(p);
    }

    private static List<DiagnosticsSection.RunEntry> paired(List<DiagnosticsSection.RunEntry> entries, String key,
                                                            String other) {
        return entries.stream().filter(e -> e.forget() != null && Double.isFinite(e.forget())
                && finite(e.metrics(), key) && (other == null || finite(e.metrics(), other))).toList();
    }

    private static boolean finite(Map<String, Double> m, String key) {
        Double v = m.get(key);
        return v != null && Double.isFinite(v);
    }

    private static double[] values(List<DiagnosticsSection.RunEntry> with, String key) {
        return with.stream().mapToDouble(e -> e.metrics().get(key)).toArray();
    }

    private static double[] forget(List<DiagnosticsSection.RunEntry> with) {
        return with.stream().mapToDouble(DiagnosticsSection.RunEntry::forget).toArray();
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
