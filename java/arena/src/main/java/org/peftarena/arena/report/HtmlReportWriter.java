package org.peftarena.arena.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * {@code report.html}: one self-contained page (no network access needed) with the report data
 * as embedded JSON, Chart.js inlined, and the charts it draws per target: Target vs General with
 * the base model and the Pareto frontier, Gain and Forget per method, Target and General along
 * training. When the charts are drawn the page sets {@code data-charts-rendered} on its body.
 */
public final class HtmlReportWriter {
    private static final String SCRIPT = "org/peftarena/arena/report/report.js";
    private static final String POST_HOC_SCRIPT = "org/peftarena/arena/report/posthoc.js";

    private HtmlReportWriter() {
    }

    /** The page's HTML. */
    public static String render(ArenaReport report) {
        StringBuilder s = new StringBuilder(300_000);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>PEFT-Arena report: ")
                .append(escape(report.title())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;font-size:13px;margin:8px 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f3f3f3}")
                .append("td:first-child,th:first-child{text-align:left}")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:18px}")
                .append("figure{margin:0;border:1px solid #ddd;padding:8px}figcaption{font-size:13px;color:#555}")
                .append("tr.frontier td{font-weight:600;background:#f1f8e9}\n</style>\n</head>\n<body>\n");
        s.append("<h1>PEFT-Arena report: ").append(escape(report.title())).append("</h1>\n<p>Generated ")
                .append(escape(report.generatedAt())).append(". Target and General in percent; Forget = General(base)")
                .append(" &minus; General(run); Gain = Target(run) &minus; Target(base). Rows in bold are on the Pareto")
                .append(" frontier of their target (over method/budget groups, both axes maximised).</p>\n");
        if (!report.metricsSentence().isEmpty()) {
            s.append("<p class=\"metrics\">").append(escape(report.metricsSentence())).append("</p>\n");
        }
        s.append(ClaimsText.html(report.claims()));
        s.append("<div id=\"charts\"></div>\n<h2>Runs</h2>\n").append(runTable(report.runs()));
        s.append(RegimeSectionText.html(report.regimes()));
        s.append(ClaimsText.noiseHtml(report.frontierNoise()));
        s.append(PathSectionText.html(report.postHoc()));
        ReportTiming t = report.timing();
        s.append("<p>").append(t.finishedRuns()).append(" runs finished here in ")
                .append(ReportFormat.seconds(t.runSeconds())).append(" s (training ")
                .append(ReportFormat.seconds(t.trainSeconds())).append(" s, evaluation ")
                .append(ReportFormat.seconds(t.evalSeconds())).append(" s); mean evaluation throughput ")
                .append(ReportFormat.num(t.meanEvalTokensPerSecond())).append(" tokens/s.</p>\n");
        s.append(DiagnosticsHtml.render(report.diagnostics()));
        s.append("<script type=\"application/json\" id=\"report-data\">")
                .append(scriptSafe(RunSpecJson.canonical(report))).append("</script>\n");
        s.append("<script>/* Chart.js ").append(ChartLibrary.version()).append(", MIT license */\n")
                .append(scriptSafe(ChartLibrary.script())).append("\n</script>\n");
        s.append("<script>\n").append(scriptSafe(resource(SCRIPT))).append(scriptSafe(resource(POST_HOC_SCRIPT)))
                .append("</script>\n");
        s.append(DiagnosticsHtml.script(report.diagnostics())).append("</body>\n</html>\n");
        return s.toString();
    }

    private static String runTable(List<RunRow> runs) {
        StringBuilder s = new StringBuilder("<table>\n<tr><th>method</th><th>budget</th><th>size</th><th>params</th>"
                + "<th>vs budget</th><th>lr</th><th>steps</th>"
                + "<th>target</th><th>seed</th><th>Target</th><th>General</th><th>Forget</th><th>Gain</th>"
                + "<th>frontier</th><th>status</th><th>run</th></tr>\n");
        for (RunRow r : runs) {
            s.append(r.onFrontier() ? "<tr class=\"frontier\">" : "<tr>");
            ScoreErrors e = r.errors();
            for (String cell : new String[] {r.method() + RegimeSectionText.marker(r), r.budget(), ReportFormat.known(r.knownSize()),
                    ReportFormat.count(r.knownParams()), ReportFormat.deviation(r), ReportFormat.rate(r.learningRate()),
                    r.steps() == null ? "-" : r.steps().toString(), r.target(), ReportFormat.known(r.knownSeed()),
                    ReportFormat.withError(r.targetScore(), e == null ? null : e.targetSe(), false),
                    ReportFormat.withError(r.generalScore(), e == null ? null : e.generalSe(), false),
                    ReportFormat.withError(r.forget(), e == null ? null : e.forgetSe(), true),
                    ReportFormat.withError(r.gain(), e == null ? null : e.gainSe(), true),
                    (r.onFrontier() ? "target" : "") + (r.onBandFrontier() ? (r.onFrontier() ? ", band" : "band") : ""),
                    r.status(), r.runId()}) {
                s.append("<td>").append(escape(cell)).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    private static String resource(String path) {
        try (InputStream in = HtmlReportWriter.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new ReportException("classpath resource " + path + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Keeps embedded text from closing its script element. */
    static String scriptSafe(String s) {
        return s.replace("</", "<\\/");
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
