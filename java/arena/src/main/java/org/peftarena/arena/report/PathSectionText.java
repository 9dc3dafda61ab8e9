package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.peftarena.analysis.interp.AlphaGrid;

/** The interpolation, overshoot and rewinding sections of {@code report.md} and {@code report.html}. */
public final class PathSectionText {
    /** Heading of the paths section. */
    static final String PATHS = "Interpolation paths";
    /** Heading of the overshoot table. */
    static final String OVERSHOOT = "Overshoot";
    /** Heading of the rewinding table. */
    static final String REWINDING = "Rewinding (OFT)";

    private static final String[] OVERSHOOT_HEAD = {"method", "budget", "target", "path", "alpha", "Target", "General",
        "final Target", "final General", "dTarget", "dGeneral", "overshoot", "run"};
    private static final String[] REWIND_HEAD = {"method", "budget", "target", "recipe", "rho*", "factors per block",
        "Target", "General", "dTarget", "dGeneral", "run"};

    private PathSectionText() {
    }

    /** The Markdown sections, or an empty string when the report has none. */
    public static String markdown(PostHocSection p) {
        if (p == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## " + PATHS + "\n\n").append(intro(p)).append("\n\n")
                .append("| run | path | alpha: Target / General |\n|---|---|---|\n");
        for (PostHocSection.RunPath r : p.paths()) {
            List<String> pts = new ArrayList<>();
            for (int i = 0; i < r.alphas().size(); i++) {
                pts.add(AlphaGrid.label(r.alphas().get(i)) + ": " + ReportFormat.num(r.targetScores().get(i)) + " / "
                        + ReportFormat.num(r.generalScores().get(i)));
            }
            s.append("| ").append(r.method()).append(' ').append(r.budget()).append(' ').append(r.target())
                    .append(" | ").append(r.kind()).append(r.baseline() ? " (baseline)" : "").append(" | ")
                    .append(String.join(", ", pts)).append(" |\n");
        }
        s.append("\n## ").append(OVERSHOOT).append("\n\n").append(mdTable(OVERSHOOT_HEAD, overshootCells(p)));
        if (!p.rewinding().isEmpty()) {
            s.append("\n## ").append(REWINDING).append("\n\n").append(mdTable(REWIND_HEAD, rewindCells(p)));
        }
        return s.toString();
    }

    /** The HTML sections (the charts are drawn into {@code post-hoc-charts} by the page's script), or "". */
    public static String html(PostHocSection p) {
        if (p == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("<h2>").append(PATHS).append("</h2>\n<p>")
                .append(HtmlReportWriter.escape(intro(p))).append("</p>\n<div id=\"post-hoc-charts\" class=\"grid\"></div>\n");
        s.append("<h2>").append(OVERSHOOT).append("</h2>\n").append(htmlTable(OVERSHOOT_HEAD, overshootCells(p)));
        if (!p.rewinding().isEmpty()) {
            s.append("<h2>").append(REWINDING).append("</h2>\n").append(htmlTable(REWIND_HEAD, rewindCells(p)));
        }
        return s.toString();
    }

    /** One line per run path: its operating point and whether it overshoots (for the end of an arena), or "". */
    public static String summary(PostHocSection p) {
        if (p == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (PostHocSection.OvershootRow o : p.overshoot()) {
            s.append(String.format(Locale.ROOT, "operating point %s %s %s (%s path): alpha %s, dTarget %s, dGeneral %s%s%n",
                    o.method(), o.budget(), o.target(), o.kind(), AlphaGrid.label(o.alpha()), ReportFormat.signed(o.dTarget()),
                    ReportFormat.signed(o.dGeneral()), o.overshoot() ? ", overshoots" : ""));
        }
        return s.toString();
    }

    private static String intro(PostHocSection p) {
        return "Target and General from the base model (alpha 0) to each final checkpoint (alpha 1): the interpolation"
                + " path (cayley for OFT, linear adapter scaling for additive adapters, dense for full finetuning,"
                + " imported when scored elsewhere) next to the training path (checkpoints along training). Operating"
                + " point rule '" + p.rule() + "': " + p.ruleDescription() + " (tolerance "
                + ReportFormat.num(p.targetTolerance()) + " points); overshoot when an alpha below 1 is selected and"
                + " gains more than " + ReportFormat.num(p.generalThreshold()) + " General points.";
    }

    private static List<String[]> overshootCells(PostHocSection p) {
        return p.overshoot().stream().map(o -> new String[] {o.method(), o.budget(), o.target(), o.kind(),
            AlphaGrid.label(o.alpha()), ReportFormat.num(o.targetScore()), ReportFormat.num(o.generalScore()),
            ReportFormat.num(o.finalTarget()), ReportFormat.num(o.finalGeneral()), ReportFormat.signed(o.dTarget()),
            ReportFormat.signed(o.dGeneral()), o.overshoot() ? "yes" : "no", o.runId()}).toList();
    }

    private static List<String[]> rewindCells(PostHocSection p) {
        return p.rewinding().stream().map(r -> new String[] {r.method(), r.budget(), r.target(), r.recipe(),
            r.rhoStar() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.rhoStar()),
            r.factors().stream().map(f -> String.format(Locale.ROOT, "%.3f", f)).collect(Collectors.joining(", ")),
            ReportFormat.num(r.targetScore()), ReportFormat.num(r.generalScore()), ReportFormat.signed(r.dTarget()),
            ReportFormat.signed(r.dGeneral()), r.runId()}).toList();
    }

    private static String mdTable(String[] head, List<String[]> rows) {
        StringBuilder s = new StringBuilder("| ").append(String.join(" | ", head)).append(" |\n|")
                .append("---|".repeat(head.length)).append('\n');
        rows.forEach(r -> s.append("| ").append(String.join(" | ", r)).append(" |\n"));
        return s.toString();
    }

    private static String htmlTable(String[] head, List<String[]> rows) {
        StringBuilder s = new StringBuilder("<table>\n<tr>");
        for (String h : head) {
            s.append("<th>").append(HtmlReportWriter.escape(h)).append("</th>");
        }
        s.append("</tr>\n");
        for (String[] r : rows) {
            s.append("<tr>");
            for (String c : r) {
                s.append("<td>").append(HtmlReportWriter.escape(c)).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</table>\n").toString();
    }
}
