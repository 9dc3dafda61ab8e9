package org.peftarena.arena.report;

import java.util.List;
import java.util.Locale;

/** The claims section and the frontier-under-noise table in Markdown and HTML. */
final class ClaimsText {
    private static final List<String> HEADER = List.of("claim", "verdict", "n", "effect", "interval", "rule");

    private ClaimsText() {
    }

    /** The claims as table rows: statement, verdict, n, effect, interval, rule. */
    static List<List<String>> rows(ClaimsSection c) {
        return c.claims().stream().map(x -> List.of("(" + x.id() + ") " + x.statement(), x.verdict(),
                Integer.toString(x.n()), x.effectName() + ": " + number(x.effect()),
                x.low() == null ? "-" : "[" + number(x.low()) + ", " + number(x.high()) + "] (" + x.intervalName() + ")",
                x.rule() + " Here: " + x.detail())).toList();
    }

    static String markdown(ClaimsSection c) {
        StringBuilder s = new StringBuilder("## Claims\n\n");
        if (c == null) {
            return s.append("Not evaluated.\n\n").toString();
        }
        s.append(ClaimsSection.PREAMBLE).append("\n\n| ").append(String.join(" | ", HEADER)).append(" |\n|")
                .append("---|".repeat(HEADER.size())).append('\n');
        for (List<String> row : rows(c)) {
            s.append("| ").append(String.join(" | ", row.stream().map(x -> x.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        return s.append('\n').toString();
    }

    static String html(ClaimsSection c) {
        StringBuilder s = new StringBuilder("<h2 id=\"claims\">Claims</h2>\n");
        if (c == null) {
            return s.append("<p>Not evaluated.</p>\n").toString();
        }
        s.append("<p>").append(HtmlReportWriter.escape(ClaimsSection.PREAMBLE)).append("</p>\n<table class=\"claims\">\n<tr>");
        HEADER.forEach(h -> s.append("<th>").append(h).append("</th>"));
        s.append("</tr>\n");
        for (List<String> row : rows(c)) {
            s.append("<tr class=\"").append(row.get(1).replace(' ', '-')).append("\">");
            row.forEach(x -> s.append("<td>").append(HtmlReportWriter.escape(x)).append("</td>"));
            s.append("</tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    private static final List<String> NOISE_HEADER = List.of("target", "band", "group", "runs", "on frontier",
            "status", "errors");
    private static final String NOISE_NOTE = "Share of " + FrontierMembership.BOOTSTRAP.replicates()
            + " bootstrap replicates (each group's runs resampled, each run redrawn within its standard errors where "
            + "known) in which the group is on the frontier; 'dominated' only when another group is better on both "
            + "axes by more than one combined standard error, 'dominated within errors' otherwise. Without standard "
            + "errors (one run, no per-run errors) a group does not move.";

    static List<List<String>> noiseRows(List<FrontierMembership> m) {
        return m.stream().map(x -> List.of(x.target(), x.band(), x.group(), Integer.toString(x.runs()),
                String.format(Locale.ROOT, "%.0f%%", 100 * x.frequency()), x.status(), x.errors() ? "known" : "unknown"))
                .toList();
    }

    static String noiseMarkdown(List<FrontierMembership> m) {
        if (m == null || m.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## Frontier under noise\n\n").append(NOISE_NOTE).append("\n\n| ")
                .append(String.join(" | ", NOISE_HEADER)).append(" |\n|").append("---|".repeat(NOISE_HEADER.size()))
                .append('\n');
        noiseRows(m).forEach(r -> s.append("| ").append(String.join(" | ", r)).append(" |\n"));
        return s.toString();
    }

    static String noiseHtml(List<FrontierMembership> m) {
        if (m == null || m.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("<h2>Frontier under noise</h2>\n<p>")
                .append(HtmlReportWriter.escape(NOISE_NOTE)).append("</p>\n<table class=\"frontier-noise\">\n<tr>");
        NOISE_HEADER.forEach(h -> s.append("<th>").append(h).append("</th>"));
        s.append("</tr>\n");
        noiseRows(m).forEach(r -> {
            s.append("<tr>");
            r.forEach(x -> s.append("<td>").append(HtmlReportWriter.escape(x)).append("</td>"));
            s.append("</tr>\n");
        });
        return s.append("</table>\n").toString();
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3g", v);
    }
}
