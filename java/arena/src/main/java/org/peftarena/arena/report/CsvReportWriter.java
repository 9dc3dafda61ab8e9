package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** {@code runs.csv}: one line per run with its scores, flags and timings (RFC 4180 quoting). */
public final class CsvReportWriter {
    private CsvReportWriter() {
    }

    /** The CSV text of a report's runs; per-task score columns follow the fixed ones. */
    public static String render(ArenaReport report) {
        TreeSet<String> tasks = new TreeSet<>();
        report.runs().forEach(r -> tasks.addAll(r.tasks().keySet()));
        List<String> header = new ArrayList<>(List.of("run_id", "kind", "status", "method", "budget", "size",
                "params", "target_task", "seed", "target", "general", "forget", "gain", "on_frontier",
                "on_band_frontier", "train_seconds", "eval_seconds", "total_seconds", "train_tokens_per_second",
                "eval_tokens_per_second", "attempts", "artifact_dir", "learning_rate", "steps", "budget_params",
                "budget_deviation_percent", "target_se", "general_se", "forget_se", "gain_se", "regime"));
        tasks.forEach(t -> header.add("task_" + t));
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        for (RunRow r : report.runs()) {
            List<String> f = new ArrayList<>(List.of(r.runId(), r.kind(), r.status(), r.method(), r.budget(),
                    blankIfNull(r.knownSize()), blankIfNull(r.knownParams()), r.target(), blankIfNull(r.knownSeed()),
                    plain(r.targetScore()), plain(r.generalScore()), plain(r.forget()), plain(r.gain()),
                    Boolean.toString(r.onFrontier()), Boolean.toString(r.onBandFrontier()), plain(r.trainSeconds()),
                    plain(r.evalSeconds()), plain(r.totalSeconds()), plain(r.trainTokensPerSecond()),
                    plain(r.evalTokensPerSecond()), Integer.toString(r.attempts()),
                    r.artifactDir() == null ? "" : r.artifactDir(), plain(r.learningRate()),
                    r.steps() == null ? "" : r.steps().toString(),
                    r.budgetParams() == null ? "" : r.budgetParams().toString(), plain(r.budgetDeviationPercent()),
                    plain(r.errors() == null ? null : r.errors().targetSe()),
                    plain(r.errors() == null ? null : r.errors().generalSe()),
                    plain(r.errors() == null ? null : r.errors().forgetSe()),
                    plain(r.errors() == null ? null : r.errors().gainSe()), r.regime()));
            tasks.forEach(t -> f.add(plain(r.tasks().get(t))));
            line(sb, f);
        }
        return sb.toString();
    }

    private static String blankIfNull(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String plain(Double v) {
        return v == null || v.isNaN() ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static void line(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i)));
        }
        sb.append("\r\n");
    }

    static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
