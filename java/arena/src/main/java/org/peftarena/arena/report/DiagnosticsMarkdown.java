package org.peftarena.arena.report;

import java.util.Locale;

/** The diagnostics section of {@code report.md}. */
final class DiagnosticsMarkdown {
    private DiagnosticsMarkdown() {
    }

    /** The section's Markdown, or an empty string without diagnostics. */
    static String render(DiagnosticsSection d) {
        if (d == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## Geometry diagnostics\n\n").append(summary(d)).append("\n");
        for (DiagnosticsTables.Table t : DiagnosticsTables.of(d)) {
            s.append('\n');
            if (t.collapsed()) {
                s.append("<details><summary>").append(t.title()).append("</summary>\n\n");
            } else {
                s.append("### ").append(t.title()).append("\n\n");
            }
            s.append(t.note()).append("\n\n| ").append(String.join(" | ", t.header())).append(" |\n|")
                    .append("---|".repeat(t.header().size())).append('\n');
            for (var row : t.rows()) {
                s.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList()))
                        .append(" |\n");
            }
            if (t.rows().isEmpty()) {
                s.append("| (none) |").append(" |".repeat(t.header().size() - 1))
                        .append('\n');
            }
            if (t.collapsed()) {
                s.append("\n</details>\n");
            }
        }
        s.append("\nThe retention and adaptation profiles against the pretrained spectrum are charted in report.html; ")
                .append("every vector is in runs/<id>/diagnostics/profiles.safetensors.\n");
        return s.toString();
    }

    /** One sentence: how many runs, where, at what cost. */
    static String summary(DiagnosticsSection d) {
        return String.format(Locale.ROOT, "%d run(s) analysed at %d module location(s) (%s) in %.1f s, %.1f s per run "
                + "on average.", d.runs().size(), d.modules().size(), String.join(", ", d.modules()), d.totalSeconds(),
                d.meanSecondsPerRun());
    }
}
