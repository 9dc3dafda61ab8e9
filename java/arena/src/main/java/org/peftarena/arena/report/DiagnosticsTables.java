package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftarena.analysis.run.ForgetCorrelations;
import org.peftarena.analysis.run.ModuleDiagnostics;

/**
 * The tables of a report's diagnostics section, independent of the output format: weight-space and
 * drift metrics per method, activation metrics per method and prompt set, correlations with Forget
 * and Gain (averaged module locations first, every location in a collapsed table), failures.
 */
final class DiagnosticsTables {
    /**
     * @param title     heading
     * @param note      one sentence under the heading
     * @param header    column names
     * @param rows      cells, already formatted
     * @param collapsed whether formats that can fold it should
     */
    record Table(String title, String note, List<String> header, List<List<String>> rows, boolean collapsed) {
    }

    private static final String[][] WEIGHT = {
        {"weight/effective_rank", "eff. rank"}, {"weight/dW_norm", "normF(dW)"},
        {"weight/dW_rel_norm", "normF(dW)/normF(W0)"}, {"weight/fluctuation_dP", "fluct. dP"},
        {"weight/fluctuation_E", "fluct. E"}, {"weight/dP_mean", "mean dP"}, {"weight/E_mean", "mean E"},
        {"weight/sva_mean", "SVA mean"}, {"weight/sva_min", "SVA min"}, {"weight/intruders", "intruders"},
        {"drift/CSD_rel_G", "CSD_rel G"}, {"drift/CSD_rel_T", "CSD_rel T"}, {"drift/ratio_rel", "ratio_rel"}};
    private static final String[][] ACTIVATION = {
        {"raw_distance", "raw dist."}, {"procrustes_residual", "Procrustes resid."},
        {"procrustes_improvement", "Procrustes impr."}, {"gram_distortion", "Gram dist."}, {"linear_cka", "CKA"},
        {"mean_cosine", "mean cos"}, {"mean_abs_log_norm_ratio", "mean abs log norm ratio"},
        {"pca_subspace_distance_k32", "PCA dist. k32"}, {"pca_subspace_distance_k64", "PCA dist. k64"}};

    private DiagnosticsTables() {
    }

    /** Every table of the section, in display order. */
    static List<Table> of(DiagnosticsSection d) {
        List<Table> out = new ArrayList<>();
        out.add(perMethod("Weight space and drift", "Means over the module locations and seeds; dP and E are the "
                + "retention deviation and adaptation profiles; SVA and intruders where the alignment setting asks for "
                + "them (by default for the orthogonal methods).", d, WEIGHT, null));
        List<List<String>> act = new ArrayList<>();
        for (String[] set : new String[][] {{ModuleDiagnostics.ACT_GENERAL, "G"}, {ModuleDiagnostics.ACT_TARGET, "T"}}) {
            act.addAll(perMethod("", "", d, prefixed(set[0]), set[1]).rows());
        }
        out.add(new Table("Activation space", "Means over the module locations and seeds, on the general (G) and "
                + "target (T) prompts; module outputs of the base and the finetuned model.",
                header(ACTIVATION, true), act, false));
        String prefix = DiagnosticsSection.MEAN + "/";
        out.addAll(inference(d.inference()));
        out.add(correlations("Correlation with Gain across runs", "Target-side metrics averaged over the module "
                + "locations.", d.correlations().gain(), prefix, true, false));
        out.add(correlations("Correlation with Forget per module location", "Every metric at every location.",
                d.correlations().forget(), prefix, false, true));
        out.add(correlations("Correlation with Gain per module location", "Every target-side metric at every "
                + "location.", d.correlations().gain(), prefix, false, true));
        if (!d.failures().isEmpty()) {
            List<List<String>> rows = d.failures().stream().map(f -> List.of(f.runId(), f.method(), f.error())).toList();
            out.add(new Table("Failed diagnostics", "These runs keep their training and scores.",
                    List.of("run", "method", "error"), rows, false));
        }
        return out;
    }

    private static String[][] prefixed(String group) {
        String[][] cols = new String[ACTIVATION.length][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = new String[] {group + "/" + ACTIVATION[i][0], ACTIVATION[i][1]};
        }
        return cols;
    }

    private static List<String> header(String[][] columns, boolean withSet) {
        List<String> h = new ArrayList<>(List.of("method", "budget", "target", "runs"));
        if (withSet) {
            h.add("set");
        }
        for (String[] c : columns) {
            h.add(c[1]);
        }
        return h;
    }

    private static Table perMethod(String title, String note, DiagnosticsSection d, String[][] columns, String set) {
        List<List<String>> rows = new ArrayList<>();
        for (DiagnosticsSection.GroupEntry g : d.groups()) {
            List<String> row = new ArrayList<>(List.of(g.method(), g.budget(), g.target(), Integer.toString(g.runs())));
            if (set != null) {
                row.add(set);
            }
            for (String[] c : columns) {
                row.add(value(g.means(), DiagnosticsSection.MEAN + "/" + c[0]));
            }
            rows.add(row);
        }
        return new Table(title, note, header(columns, set != null), rows, false);
    }

    private static Table correlations(String title, String note, List<ForgetCorrelations.Row> rows, String prefix,
                                      boolean averaged, boolean collapsed) {
        List<List<String>> out = new ArrayList<>();
        for (ForgetCorrelations.Row r : rows) {
            if (r.metric().startsWith(prefix) == averaged) {
                out.add(List.of(averaged ? r.metric().substring(prefix.length()) : r.metric(), Integer.toString(r.runs()),
                        corr(r.pearson()), corr(r.spearman())));
            }
        }
        return new Table(title, note, List.of("metric", "runs", "Pearson", "Spearman"), out, collapsed);
    }

    /** The correlation tables with uncertainty, the caveat for small n, and the weight-norm comparison. */
    static List<Table> inference(ForgetInference.Result inf) {
        List<Table> out = new ArrayList<>();
        if (inf == null) {
            return out;
        }
        List<String> header = List.of("metric", "n", "Pearson r [95% CI]", "q", "Spearman rho [95% CI]", "q",
                "within-group r [95% CI]", "n (groups)", "q");
        List<List<String>> shown = new ArrayList<>();
        List<List<String>> hidden = new ArrayList<>();
        for (ForgetInference.Row r : inf.rows()) {
            List<String> row = List.of(r.metric(), Integer.toString(r.n()),
                    interval(r.pearson(), r.pearsonLow(), r.pearsonHigh()), p(r.pearsonQ()),
                    interval(r.spearman(), r.spearmanLow(), r.spearmanHigh()), p(r.spearmanQ()),
                    interval(r.withinPearson(), r.withinLow(), r.withinHigh()),
                    r.withinN() + " (" + r.withinGroups() + ")", p(r.withinQ()));
            (r.shown() ? shown : hidden).add(row);
        }
        out.add(new Table("Correlation with Forget across runs", "Each metric averaged over the module locations. "
                + "Intervals: 95% percentile bootstrap over runs (" + ForgetInference.BOOTSTRAP.replicates()
                + " resamples). q: p-value (t test of no association) adjusted by Benjamini-Hochberg over the "
                + "metrics shown. Within-group: each run group's mean (method, budget" + " and learning rate where "
                + "runs have one) removed from both sides first, so differences in update size between "
                + "configurations do not count; groups of one run are left out. Pooled correlations that vanish "
                + "within groups reflect the configurations, not the metric.", header, shown, false));
        if (!hidden.isEmpty() || shown.isEmpty()) {
            out.add(new Table("Correlations on fewer than " + ForgetInference.MIN_RUNS + " runs",
                    "Caveat: with fewer than " + ForgetInference.MIN_RUNS + " runs a correlation says almost nothing "
                    + "(any |r| below about 0.7 is compatible with no association); shown for completeness, not "
                    + "adjusted, not interpreted.", header, hidden, true));
        }
        List<List<String>> cmp = new ArrayList<>();
        for (ForgetInference.Comparison c : inf.comparisons()) {
            cmp.add(List.of(c.metric(), Integer.toString(c.n()), corr(c.absMetric()), corr(c.absBaseline()),
                    interval(c.difference(), c.low(), c.high()), p(c.p()), p(c.q())));
        }
        out.add(new Table("Activation metrics against the weight-norm baseline", "Does the activation metric "
                + "predict Forget better than the relative weight change normF(dW) / normF(W0) (averaged over the "
                + "module locations)? Paired bootstrap over runs of |r(metric, Forget)| - |r(norm, Forget)|; p: "
                + "one-sided, share of resamples where the metric is not better; q: Benjamini-Hochberg over the "
                + "metrics compared (rows under " + ForgetInference.MIN_RUNS + " runs are not adjusted). "
                + "Strongest metric: " + (inf.strongest() == null ? "none shown" : inf.strongest()) + ".",
                List.of("metric", "n", "|r| metric", "|r| norm", "difference [95% CI]", "p", "q"), cmp, false));
        return out;
    }

    private static String interval(Double v, Double lo, Double hi) {
        if (v == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.3f", v) + (lo == null || hi == null ? ""
                : String.format(Locale.ROOT, " [%+.2f, %+.2f]", lo, hi));
    }

    private static String p(Double v) {
        if (v == null) {
            return "-";
        }
        return v < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String corr(Double v) {
        return v == null ? "-" : corr(v.doubleValue());
    }

    private static String value(Map<String, Double> m, String key) {
        Double v = m.get(key);
        return v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String corr(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.3f", v) : "-";
    }
}
