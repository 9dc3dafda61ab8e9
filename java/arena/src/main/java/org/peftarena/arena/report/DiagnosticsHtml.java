package org.peftarena.arena.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The diagnostics section of {@code report.html}: the tables, a place for the profile charts, and
 * the script that draws them with Chart.js from the embedded report data.
 */
final class DiagnosticsHtml {
    private static final String SCRIPT = "org/peftarena/arena/report/diagnostics.js";

    private DiagnosticsHtml() {
    }

    /** The section's HTML, or an empty string without diagnostics. */
    static String render(DiagnosticsSection d) {
        if (d == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("<h2>Geometry diagnostics</h2>\n<p>")
                .append(HtmlReportWriter.escape(DiagnosticsMarkdown.summary(d))).append("</p>\n")
                .append("<div id=\"diagnostics-charts\"></div>\n");
        for (DiagnosticsTables.Table t : DiagnosticsTables.of(d)) {
            String open = t.collapsed() ? "<details><summary>" : "<h3>";
            String close = t.collapsed() ? "</summary>\n" : "</h3>\n";
            s.append(open).append(HtmlReportWriter.escape(t.title())).append(close).append("<p>")
                    .append(HtmlReportWriter.escape(t.note())).append("</p>\n<table class=\"diagnostics\">\n<tr>");
            t.header().forEach(h -> s.append("<th>").append(HtmlReportWriter.escape(h)).append("</th>"));
            s.append("</tr>\n");
            for (List<String> row : t.rows()) {
                s.append("<tr>");
                row.forEach(c -> s.append("<td>").append(HtmlReportWriter.escape(c)).append("</td>"));
                s.append("</tr>\n");
            }
            s.append("</table>\n").append(t.collapsed() ? "</details>\n" : "");
        }
        return s.toString();
    }

    /** The chart script element, or an empty string without diagnostics. */
    static String script(DiagnosticsSection d) {
        if (d == null) {
            return "";
        }
        try (InputStream in = DiagnosticsHtml.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new ReportException("classpath resource " + SCRIPT + " is missing");
            }
            return "<script>\n" + HtmlReportWriter.scriptSafe(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    + "</script>\n";
        } catch (IOException e) {
            throw new ReportException("cannot read " + SCRIPT + ": " + e.getMessage(), e);
        }
    }
}
