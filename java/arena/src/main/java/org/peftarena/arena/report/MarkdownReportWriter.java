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
        if (!r.metricsSentence().isEmpty()) {
            s.append(r.metricsSentence()).append("\n\n");
        }
        s.append(ClaimsText.markdown(r.claims()));
        s.append("## Base model\n\n| target | Target | General | tasks |\n|---|---|---|---|\n");
        for (BaseRow b : r.bases()) {
            s.append("| ").append(b.target()).append(" | ").append(ReportFormat.num(b.targetScore())).append(" | ")
                    .append(ReportFormat.num(b.generalScore())).append(" | ")
                    .append(b.tasks().entrySet().stream().map(e -> e.getKey() + " " + ReportFormat.num(e.getValue()))
                            .collect(Collectors.joining(", "))).append(" |\n");
        }
        s.append("\n## Runs\n\n").append(runTable(r.runs())).append('\n');
        s.append("## Pareto frontiers\n\n| target | band | frontier (low Target, high General first) |\n|---|---|---|\n");
        for (FrontierSet f : r.frontiers()) {
            s.append("| ").append(f.target()).append(" | ").append(f.band()).append(" | ")
                    .append(f.points().stream().map(MarkdownReportWriter::point).collect(Collectors.joining(" -> ")))
                    .append(" |\n");
        }
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

    /** The run table printed at the end of an arena (also used by the command line). */
    public static String runTable(List<RunRow> runs) {
        StringBuilder s = new StringBuilder();
        s.append("| method | budget | size | params | target | seed | Target | General | Forget | Gain | frontier | status |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<RunRow> sorted = runs.stream().sorted(Comparator.comparing(RunRow::target)
                .thenComparing(RunRow::budget).thenComparing(RunRow::method).thenComparingLong(RunRow::seed)).toList();
        for (RunRow x : sorted) {
            s.append("| ").append(x.method()).append(" | ").append(x.budget()).append(" | ").append(x.size())
                    .append(" | ").append(ReportFormat.count(x.params())).append(" | ").append(x.target()).append(" | ")
                    .append(x.seed()).append(" | ").append(ReportFormat.num(x.targetScore())).append(" | ")
                    .append(ReportFormat.num(x.generalScore())).append(" | ").append(ReportFormat.signed(x.forget()))
                    .append(" | ").append(ReportFormat.signed(x.gain())).append(" | ")
                    .append(x.onFrontier() ? "*" : "").append(x.onBandFrontier() ? "b" : "").append(" | ")
                    .append(x.status()).append(" |\n");
        }
        return s.toString();
    }

    private static String point(ScorePoint p) {
        return p.id() + " (" + ReportFormat.num(p.target()) + " / " + ReportFormat.num(p.general()) + ")";
    }
}
