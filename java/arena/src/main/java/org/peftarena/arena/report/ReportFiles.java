package org.peftarena.arena.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.formats.io.AtomicFiles;

/** Writes a report's four files atomically: report.json, runs.csv, report.md, report.html. */
public final class ReportFiles {
    /** Machine-readable report. */
    public static final String JSON = "report.json";
    /** One line per run. */
    public static final String CSV = "runs.csv";
    /** Tables for people. */
    public static final String MARKDOWN = "report.md";
    /** Self-contained page with charts. */
    public static final String HTML = "report.html";

    private ReportFiles() {
    }

    /**
     * @param report the report
     * @param dir    output folder (created)
     * @return the files written
     */
    public static List<Path> write(ArenaReport report, Path dir) throws IOException {
        Path json = dir.resolve(JSON);
        Path csv = dir.resolve(CSV);
        Path md = dir.resolve(MARKDOWN);
        Path html = dir.resolve(HTML);
        AtomicFiles.write(json, RunSpecJson.pretty(report).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(csv, CsvReportWriter.render(report).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(md, MarkdownReportWriter.render(report).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(html, HtmlReportWriter.render(report).getBytes(StandardCharsets.UTF_8));
        return List.of(json, csv, md, html);
    }
}
