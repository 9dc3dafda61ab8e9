package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.CayleyRotations;
import org.peftarena.analysis.interp.PathKind;

/** The interpolation, overshoot and rewinding sections of {@code report.md} and {@code report.html}. */
public final class PathSectionText {
    /** Heading of the paths section. */
    static final String PATHS = "Interpolation paths";
    /** Heading of the overshoot table. */
    static final String OVERSHOOT = "Overshoot";
    /** Heading of the rewinding table. */
    static final String REWINDING = "Rewinding (OFT)";

    private static final String[] OVERSHOOT_HEAD = {"method", "budget", "target", "path", "update scale", "alpha",
        "OFT generator scale", "selected on", "tolerance", "Target", "General", "final Target", "final General",
        "dTarget", "dGeneral", "overshoot", "run"};
    private static final String[] REWIND_HEAD = {"method", "budget", "target", "recipe", "rho*", "factors per block",
        "Cayley alpha", "update scale", "Target", "General", "dTarget", "dGeneral", "run"};

    private PathSectionText() {
    }

    /** The Markdown sections, or an empty string when the report has none. */
    public static String markdown(PostHocSection p) {
        if (p == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## " + PATHS + "\n\n").append(intro(p)).append("\n\n")
                .append("| run | path | update scale (alpha): Target / General |\n|---|---|---|\n");
        for (PostHocSection.RunPath r : p.paths()) {
            List<String> pts = new ArrayList<>();
            for (int i = 0; i < r.alphas().size(); i++) {
                pts.add(point(r.kind(), r.alphas().get(i), r.updateScales().get(i)) + ": "
                        + ReportFormat.withError(r.targetScores().get(i), r.targetSes().get(i), false) + " / "
                        + ReportFormat.withError(r.generalScores().get(i), r.generalSes().get(i), false));
            }
            s.append("| ").append(r.method()).append(' ').append(r.budget()).append(' ').append(r.target())
                    .append(" | ").append(r.kind()).append(r.baseline() ? " (baseline)" : "").append(" | ")
                    .append(String.join(", ", pts)).append(" |\n");
        }
        s.append("\n## ").append(OVERSHOOT).append("\n\n").append(mdTable(OVERSHOOT_HEAD, overshootCells(p)));
        if (!p.rewinding().isEmpty()) {
            s.append("\n## ").append(REWINDING).append("\n\n").append(rewindIntro()).append("\n\n")
                    .append(mdTable(REWIND_HEAD, rewindCells(p)));
            warnings(p).forEach(w -> s.append("\n- warning: ").append(w));
            s.append(warnings(p).isEmpty() ? "" : "\n");
        }
        return s.toString();
    }

    /**
     * A path point: its alpha, where the update scale equals it or is unknown (linear and dense paths),
     * and {@code alpha 0.4 (u 0.63, generator 0.632)} on OFT's Cayley path.
     */
    static String point(String kind, double alpha, Double updateScale) {
        if (updateScale != null && !updateScale.isNaN() && kind.equals(PathKind.CAYLEY.cliName())) {
            return String.format(Locale.ROOT, "alpha %s (u %.2f, generator %.3f)", AlphaGrid.label(alpha), updateScale,
                    CayleyRotations.generatorScale(alpha));
        }
        return "alpha " + AlphaGrid.label(alpha);  // u = alpha on the linear and dense paths (the intro says so)
    }

    private static String rewindIntro() {
        return "Rewinding scales each OFT generator by its block's factor; scaling every generator by f (uniform) is"
                + " the Cayley path at alpha f^2 (uniform 0.4 is alpha 0.16), shown as Cayley alpha. Update scale:"
                + " normF(W - W0) / normF(W1 - W0) of the rewound model, the axis the interpolation paths are drawn"
                + " on. SafeRho averages the leading fraction of the depth given by reference_fraction (default 5/28,"
                + " the study's first five of 28 layers).";
    }

    private static List<String> warnings(PostHocSection p) {
        return p.rewinding().stream().filter(r -> r.warning() != null)
                .map(r -> r.method() + " " + r.budget() + " " + r.target() + " (" + r.runId() + "): " + r.warning())
                .distinct().toList();
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
            s.append("<h2>").append(REWINDING).append("</h2>\n<p>").append(HtmlReportWriter.escape(rewindIntro()))
                    .append("</p>\n").append(htmlTable(REWIND_HEAD, rewindCells(p)));
            for (String w : warnings(p)) {
                s.append("<p class=\"warning\">warning: ").append(HtmlReportWriter.escape(w)).append("</p>\n");
            }
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
            s.append(String.format(Locale.ROOT, "operating point %s %s %s (%s path, selected on %s): %s, dTarget %s,"
                    + " dGeneral %s%s%n", o.method(), o.budget(), o.target(), o.kind(), o.selectedOn(),
                    point(o.kind(), o.alpha(), o.updateScale()), ReportFormat.signed(o.dTarget()),
                    ReportFormat.signed(o.dGeneral()), o.overshoot() ? ", overshoots" : ""));
        }
        return s.toString();
    }

    private static String intro(PostHocSection p) {
        return "Target and General from the base model (alpha 0) to each final checkpoint (alpha 1): the interpolation"
                + " path (cayley for OFT, linear adapter scaling for additive adapters, dense for full finetuning,"
                + " imported when scored elsewhere) next to the training path (checkpoints along training), test-split"
                + " scores with cluster-bootstrap standard errors. Points are placed by update scale u = normF(W(alpha)"
                + " - W0) / normF(W(1) - W0) over every adapted matrix, comparable across methods: u = alpha on the"
                + " linear and dense paths; on OFT's Cayley path R(alpha) = cayley(sqrt(alpha) Q) it is measured and"
                + " stated next to alpha and the generator scale sqrt(alpha). Operating point rule '" + p.rule() + "': "
                + p.ruleDescription() + ", selected on the validation split and reported on the test split (paths"
                + " without validation scores, e.g. imported ones, are selected on test and say so); tolerance: the"
                + " larger of " + ReportFormat.num(p.targetTolerance()) + " points and "
                + ReportFormat.num(p.toleranceSe()) + " standard errors of the final Target on the selection split;"
                + " overshoot when an alpha below 1 is selected and gains more than "
                + ReportFormat.num(p.generalThreshold()) + " General points on the test split.";
    }

    private static List<String[]> overshootCells(PostHocSection p) {
        return p.overshoot().stream().map(o -> new String[] {o.method(), o.budget(), o.target(), o.kind(),
            o.updateScale() == null ? "-" : String.format(Locale.ROOT, "%.2f", o.updateScale()),
            AlphaGrid.label(o.alpha()),
            o.generatorScale() == null ? "-" : String.format(Locale.ROOT, "%.3f", o.generatorScale()), o.selectedOn(),
            ReportFormat.num(o.tolerance()), ReportFormat.withError(o.targetScore(), o.targetSe(), false),
            ReportFormat.withError(o.generalScore(), o.generalSe(), false),
            ReportFormat.num(o.finalTarget()), ReportFormat.num(o.finalGeneral()), ReportFormat.signed(o.dTarget()),
            ReportFormat.signed(o.dGeneral()), o.overshoot() ? "yes" : "no", o.runId()}).toList();
    }

    private static List<String[]> rewindCells(PostHocSection p) {
        return p.rewinding().stream().map(r -> new String[] {r.method(), r.budget(), r.target(), r.recipe(),
            r.rhoStar() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.rhoStar()),
            r.factors().stream().map(f -> String.format(Locale.ROOT, "%.3f", f)).collect(Collectors.joining(", ")),
            r.cayleyAlpha() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.cayleyAlpha()),
            r.updateScale() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.updateScale()),
            ReportFormat.withError(r.targetScore(), r.targetSe(), false),
            ReportFormat.withError(r.generalScore(), r.generalSe(), false), ReportFormat.signed(r.dTarget()),
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
