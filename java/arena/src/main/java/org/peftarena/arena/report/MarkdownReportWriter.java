package org.peftarena.arena.report;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.peftarena.arena.frontier.ScorePoint;

/** {@code report.md}: base scores, the run table, the frontiers and the timings. */
public final class MarkdownReportWriter {
    private MarkdownReportWriter() {
    }

    /** The Markdown text of a report. */
    public static String render(ArenaReport r) {
        StringBuilder s = new StringBuilder();
        s.append("# PEFT-Arena report: ").append(r.title()).append("\n\n");
        s.append("Generated ").append(r.generatedAt()).append(". Target and General in percent; ")
                .append("Forget = General(base) - General(run), Gain = Target(run) - Target(base), in points. ")
                .append("The frontier is over (method, budget) groups (means over seeds), both axes maximised; ")
                .append("`*` marks groups on the frontier of their target, `b` on the frontier of their budget band.\n\n");
        s.append("Metrics: text tasks are scored by teacher-forced next-token accuracy, problem tasks by exact match of "
                + "the greedy answer. `±` gives one standard error: a cluster bootstrap over the scored documents "
                + "(problems); Forget and Gain pair each run with the base model on the same documents. Tasks outside "
                + "General (such as one the base model scores at chance) are listed per task, not averaged in.\n\n");
        if (!r.metricsSentence().isEmpty()) {
            s.append(r.metricsSentence()).append("\n\n");
        }
        s.append(ClaimsText.markdown(r.claims()));
        s.append("## Base model\n\n| target | Target | General | tasks | documents scored |\n|---|---|---|---|---|\n");
        for (BaseRow b : r.bases()) {
            ScoreErrors e = b.errors();
            s.append("| ").append(b.target()).append(" | ")
                    .append(ReportFormat.withError(b.targetScore(), e == null ? null : e.targetSe(), false)).append(" | ")
                    .append(ReportFormat.withError(b.generalScore(), e == null ? null : e.generalSe(), false))
                    .append(" | ")
                    .append(b.tasks().entrySet().stream().map(x -> x.getKey() + " " + ReportFormat.num(x.getValue()))
                            .collect(Collectors.joining(", "))).append(" | ")
                    .append(e == null ? "-" : e.documents().entrySet().stream().map(x -> x.getKey() + " " + x.getValue())
                            .collect(Collectors.joining(", "))).append(" |\n");
        }
        s.append("\n## Runs\n\n").append(runTable(r.runs())).append('\n');
        s.append("## Pareto frontiers\n\n| target | band | frontier (low Target, high General first) |\n|---|---|---|\n");
        for (FrontierSet f : r.frontiers()) {
            s.append("| ").append(f.target()).append(" | ").append(f.band()).append(" | ")
                    .append(f.points().stream().map(MarkdownReportWriter::point).collect(Collectors.joining(" -> ")))
                    .append(" |\n");
        }
        s.append(RegimeSectionText.markdown(r.regimes()));
        s.append(ClaimsText.noiseMarkdown(r.frontierNoise()));
        s.append(PathSectionText.markdown(r.postHoc()));
        ReportTiming t = r.timing();
        s.append("\n## Timing\n\n| runs finished | run time (s) | training (s) | evaluation (s) | training tokens/s | evaluation tokens/s |\n|---|---|---|---|---|---|\n")
                .append("| ").append(t.finishedRuns()).append(" | ").append(ReportFormat.seconds(t.runSeconds()))
                .append(" | ").append(ReportFormat.seconds(t.trainSeconds())).append(" | ")
                .append(ReportFormat.seconds(t.evalSeconds())).append(" | ")
                .append(ReportFormat.num(t.meanTrainTokensPerSecond())).append(" | ")
                .append(ReportFormat.num(t.meanEvalTokensPerSecond())).append(" |\n");
        s.append(DiagnosticsMarkdown.render(r.diagnostics()));
        return s.toString();
    }

    /**
     * The run table printed at the end of an arena (also used by the command line): scores with
     * their standard errors where known, learning rate, steps and the deviation from the budget
     * ({@code (!)} beyond {@link RunRow#BUDGET_WARNING_PERCENT}), followed by a warning line per
     * run that misses its budget by more.
     */
    public static String runTable(List<RunRow> runs) {
        StringBuilder s = new StringBuilder();
        s.append("| method | budget | size | params | vs budget | lr | steps | target | seed | Target | General | Forget"
                + " | Gain | frontier | status |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<RunRow> sorted = runs.stream().sorted(Comparator.comparing(RunRow::target)
                .thenComparing(RunRow::budget).thenComparing(RunRow::method)
                .thenComparing(r -> r.learningRate() == null ? 0 : r.learningRate())
                .thenComparing(r -> r.steps() == null ? 0 : r.steps()).thenComparingLong(RunRow::seed)).toList();
        for (RunRow x : sorted) {
            ScoreErrors e = x.errors();
            s.append("| ").append(x.method()).append(RegimeSectionText.marker(x)).append(" | ").append(x.budget()).append(" | ")
                    .append(ReportFormat.known(x.knownSize())).append(" | ")
                    .append(ReportFormat.count(x.knownParams())).append(" | ")
                    .append(ReportFormat.deviation(x)).append(" | ").append(ReportFormat.rate(x.learningRate()))
                    .append(" | ").append(x.steps() == null ? "-" : x.steps().toString()).append(" | ")
                    .append(x.target()).append(" | ")
                    .append(ReportFormat.known(x.knownSeed())).append(" | ")
                    .append(ReportFormat.withError(x.targetScore(), e == null ? null : e.targetSe(), false))
                    .append(" | ")
                    .append(ReportFormat.withError(x.generalScore(), e == null ? null : e.generalSe(), false))
                    .append(" | ").append(ReportFormat.withError(x.forget(), e == null ? null : e.forgetSe(), true))
                    .append(" | ").append(ReportFormat.withError(x.gain(), e == null ? null : e.gainSe(), true))
                    .append(" | ")
                    .append(x.onFrontier() ? "*" : "").append(x.onBandFrontier() ? "b" : "").append(" | ")
                    .append(x.status()).append(" |\n");
        }
        for (RunRow x : sorted) {
            if (x.offBudget()) {
                s.append(String.format(java.util.Locale.ROOT, "%nwarning: %s has %,d trainable parameters, %+.1f%% off"
                        + " its budget %s (%,d); its comparison with the band is not at matched size%n", x.runId(),
                        x.params(), x.budgetDeviationPercent(), x.budget(), x.budgetParams()));
            }
        }
        return s.toString();
    }

    private static String point(ScorePoint p) {
        return p.id() + " (" + ReportFormat.num(p.target()) + " / " + ReportFormat.num(p.general()) + ")";
    }
}
