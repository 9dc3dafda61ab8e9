package org.peftarena.arena.report;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.peftarena.arena.spec.RunSpec;

/** The regime section in Markdown and HTML: frontier per regime, pass@k per RL method group, Δpass@k against the base. */
final class RegimeSectionText {
    private RegimeSectionText() {
    }

    /** The marker of a run's regime in tables: empty for SFT, {@code (rl)} for RL. */
    static String marker(RunRow r) {
        return RunSpec.RL.equals(r.regime()) ? " (rl)" : "";
    }

    static String markdown(RegimeSection r) {
        if (r == null || !r.hasRl()) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## Regimes: SFT and RL\n\n");
        s.append("Regimes in this report: ").append(String.join(", ", r.regimes()))
                .append(". RL runs are marked `(rl)` in the run table; their Target is the greedy exact match of the RL "
                        + "target, General is scored as for SFT.\n\n");
        s.append("| regime | target | frontier (low Target, high General first) |\n|---|---|---|\n");
        r.frontiers().forEach((regime, sets) -> sets.forEach(f -> s.append("| ").append(regime).append(" | ")
                .append(f.target()).append(" | ").append(f.points().stream()
                        .map(p -> p.id() + " (" + ReportFormat.num(p.target()) + " / " + ReportFormat.num(p.general()) + ")")
                        .collect(Collectors.joining(" -> "))).append(" |\n")));
        List<Integer> ks = ks(r);
        s.append("\n### pass@k per method (RL)\n\n| method | budget | target | lr | runs | greedy | General");
        ks.forEach(k -> s.append(" | pass@").append(k));
        ks.forEach(k -> s.append(" | Δpass@").append(k));
        s.append(" |\n|---|---|---|---|---|---|---").append("|---".repeat(2 * ks.size())).append("|\n");
        r.bases().forEach((target, p) -> {
            s.append("| base | - | ").append(target).append(" | - | 1 | - | -");
            ks.forEach(k -> s.append(" | ").append(withSe(ReportFormat.num(p.get(k)), k == 1 ? r.baseSe().get(target) : null)));
            ks.forEach(k -> s.append(" | -"));
            s.append(" |\n");
        });
        for (RegimeSection.RlGroup g : r.rl()) {
            s.append("| ").append(g.method()).append(" | ").append(g.budget()).append(" | ").append(g.target())
                    .append(" | ").append(ReportFormat.rate(g.learningRate())).append(" | ").append(g.runs()).append(" | ")
                    .append(ReportFormat.num(g.greedy())).append(" | ").append(ReportFormat.num(g.general()));
            ks.forEach(k -> s.append(" | ").append(withSe(ReportFormat.num(g.passAtK().get(k)), k == 1 ? g.passAtOneSe() : null)));
            ks.forEach(k -> s.append(" | ").append(withSe(signed(g.deltaPassAtK().get(k)), k == 1 ? g.deltaPassAtOneSe() : null)));
            s.append(" |\n");
        }
        s.append('\n').append(r.note()).append('\n');
        return s.toString();
    }

    static String html(RegimeSection r) {
        if (r == null || !r.hasRl()) {
            return "";
        }
        StringBuilder s = new StringBuilder("<h2>Regimes: SFT and RL</h2>\n<p>Regimes in this report: ")
                .append(HtmlReportWriter.escape(String.join(", ", r.regimes())))
                .append(". RL runs are marked (rl) in the run table.</p>\n<table><tr><th>regime</th><th>target</th>"
                        + "<th>frontier</th></tr>\n");
        r.frontiers().forEach((regime, sets) -> sets.forEach(f -> s.append("<tr><td>").append(HtmlReportWriter.escape(regime))
                .append("</td><td>").append(HtmlReportWriter.escape(f.target())).append("</td><td>")
                .append(HtmlReportWriter.escape(f.points().stream().map(p -> p.id()).collect(Collectors.joining(" → "))))
                .append("</td></tr>\n")));
        s.append("</table>\n<h3>pass@k per method (RL)</h3>\n<table><tr><th>method</th><th>budget</th><th>target</th>"
                + "<th>lr</th><th>greedy</th><th>General</th>");
        List<Integer> ks = ks(r);
        ks.forEach(k -> s.append("<th>pass@").append(k).append("</th>"));
        ks.forEach(k -> s.append("<th>Δpass@").append(k).append("</th>"));
        s.append("</tr>\n");
        r.bases().forEach((target, p) -> {
            s.append("<tr><td>base</td><td>-</td><td>").append(HtmlReportWriter.escape(target)).append("</td><td>-</td><td>-</td><td>-</td>");
            ks.forEach(k -> s.append("<td>").append(withSe(ReportFormat.num(p.get(k)), k == 1 ? r.baseSe().get(target) : null))
                    .append("</td>"));
            ks.forEach(k -> s.append("<td>-</td>"));
            s.append("</tr>\n");
        });
        for (RegimeSection.RlGroup g : r.rl()) {
            s.append("<tr><td>").append(HtmlReportWriter.escape(g.method())).append("</td><td>")
                    .append(HtmlReportWriter.escape(g.budget())).append("</td><td>").append(HtmlReportWriter.escape(g.target()))
                    .append("</td><td>").append(ReportFormat.rate(g.learningRate())).append("</td><td>")
                    .append(ReportFormat.num(g.greedy())).append("</td><td>").append(ReportFormat.num(g.general())).append("</td>");
            ks.forEach(k -> s.append("<td>").append(withSe(ReportFormat.num(g.passAtK().get(k)), k == 1 ? g.passAtOneSe() : null))
                    .append("</td>"));
            ks.forEach(k -> s.append("<td>").append(withSe(signed(g.deltaPassAtK().get(k)), k == 1 ? g.deltaPassAtOneSe() : null))
                    .append("</td>"));
            s.append("</tr>\n");
        }
        s.append("</table>\n<p>").append(HtmlReportWriter.escape(r.note())).append("</p>\n");
        return s.toString();
    }

    private static List<Integer> ks(RegimeSection r) {
        TreeSet<Integer> ks = new TreeSet<>();
        r.bases().values().forEach(m -> ks.addAll(m.keySet()));
        r.rl().forEach(g -> ks.addAll(g.passAtK().keySet()));
        return List.copyOf(ks);
    }

    /** A value with its standard error ({@code 54.20 ± 1.93}), or the value alone when the error is unknown. */
    private static String withSe(String value, Double se) {
        return se == null || value.equals("-") ? value : value + " ± " + String.format(java.util.Locale.ROOT, "%.2f", se);
    }

    private static String signed(Double v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%+.2f", v);
    }
}
