package org.peftarena.arena.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.peftarena.arena.build.BuildInfo;
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
        return write(report, dir, null);
    }

    /**
     * Writes the files; {@code report.json} also records the arena config, the tool's version and the
     * commit it was built from, so a result can be traced to what produced it.
     *
     * @param arenaConfig the arena's config as written to the work directory, or null when unknown
     * @return the files written
     */
    public static List<Path> write(ArenaReport report, Path dir, JsonNode arenaConfig) throws IOException {
        Path json = dir.resolve(JSON);
        Path csv = dir.resolve(CSV);
        Path md = dir.resolve(MARKDOWN);
        Path html = dir.resolve(HTML);
        ObjectNode doc = RunSpecJson.MAPPER.valueToTree(report);
        unknownsAsNull(doc, report.runs());
        doc.set("arena_config", arenaConfig == null ? NullNode.getInstance() : arenaConfig);
        BuildInfo build = BuildInfo.current();
        ObjectNode tool = doc.putObject("tool");
        tool.put("name", "peft-arena");
        tool.put("version", build.version());
        tool.put("commit", build.commit());
        AtomicFiles.write(json, RunSpecJson.pretty(doc).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(csv, CsvReportWriter.render(report).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(md, MarkdownReportWriter.render(report).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(html, HtmlReportWriter.render(report).getBytes(StandardCharsets.UTF_8));
        return List.of(json, csv, md, html);
    }

    /**
     * Imported runs have no seed, and a size or parameter count only when the score file gave one:
     * {@code null} in report.json rather than a 0 that reads as a measurement ({@link RunRow#knownSeed()}).
     */
    private static void unknownsAsNull(ObjectNode doc, List<RunRow> runs) {
        JsonNode rows = doc.path("runs");
        for (int i = 0; i < runs.size(); i++) {
            RunRow row = runs.get(i);
            if (rows.get(i) instanceof ObjectNode r) {
                r.put("seed", row.knownSeed());
                r.put("size", row.knownSize());
                r.put("params", row.knownParams());
            }
        }
    }
}
