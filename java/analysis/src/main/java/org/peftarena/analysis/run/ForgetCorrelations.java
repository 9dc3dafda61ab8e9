package org.peftarena.analysis.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peftarena.analysis.stats.Correlation;

/**
 * Pearson and Spearman correlation, across the runs of an arena, of every diagnostic with Forget
 * and of every target-side diagnostic (activations on T, drift on T) with target Gain (spec
 * section 4). A metric enters a correlation over the runs where both it and the outcome are finite;
 * with fewer than {@link #MIN_RUNS} such runs it is left out.
 */
public final class ForgetCorrelations {
    /** Fewest paired runs for which a correlation is reported. */
    public static final int MIN_RUNS = 3;

    private ForgetCorrelations() {}

    /**
     * One run's diagnostics and outcomes.
     *
     * @param runId a name for the run
     * @param metrics numeric diagnostics by key, e.g. {@link RunDiagnosticsResult#numericMetrics()}
     * @param forget the run's Forget
     * @param gain the run's target Gain (NaN when unknown)
     */
    public record RunPoint(String runId, Map<String, Double> metrics, double forget, double gain) {
        /** Copies the metrics. */
        public RunPoint {
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * @param metric diagnostic key
     * @param runs number of paired runs used
     * @param pearson Pearson's r (NaN when a side is constant)
     * @param spearman Spearman's rho (NaN when a side is constant)
     */
    public record Row(String metric, int runs, double pearson, double spearman) {}

    /**
     * @param forget every diagnostic against Forget, by metric key
     * @param gain target-side diagnostics against Gain, by metric key
     */
    public record Result(List<Row> forget, List<Row> gain) {
        /** Copies the lists. */
        public Result {
            forget = List.copyOf(forget);
            gain = List.copyOf(gain);
        }
    }

    /**
     * @param runs the arena's runs
     * @return the correlations, rows sorted by metric key
     */
    public static Result compute(List<RunPoint> runs) {
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.metrics().keySet()));
        List<Row> forget = new ArrayList<>();
        List<Row> gain = new ArrayList<>();
        for (String key : keys) {
            row(key, runs, true).ifPresent(forget::add);
            if (ModuleDiagnostics.isTargetSide(key)) {
                row(key, runs, false).ifPresent(gain::add);
            }
        }
        return new Result(forget, gain);
    }

    private static java.util.Optional<Row> row(String key, List<RunPoint> runs, boolean againstForget) {
        List<double[]> pairs = new ArrayList<>();
        for (RunPoint r : runs) {
            Double x = r.metrics().get(key);
            double y = againstForget ? r.forget() : r.gain();
            if (x != null && Double.isFinite(x) && Double.isFinite(y)) {
                pairs.add(new double[] {x, y});
            }
        }
        if (pairs.size() < MIN_RUNS) {
            return java.util.Optional.empty();
        }
        double[] x = new double[pairs.size()];
        double[] y = new double[pairs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pairs.get(i)[0];
            y[i] = pairs.get(i)[1];
        }
        return java.util.Optional.of(new Row(key, x.length, Correlation.pearson(x, y), Correlation.spearman(x, y)));
    }
}
