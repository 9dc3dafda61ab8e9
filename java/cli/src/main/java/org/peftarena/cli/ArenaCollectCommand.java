package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peftarena.arena.ArenaCollector;
import org.peftarena.arena.report.FrontierSet;
import org.peftarena.arena.report.MarkdownReportWriter;
import org.peftarena.arena.report.PathSectionText;
import org.peftarena.arena.report.ReportFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Ingests the finished runs of a work directory into its registry and writes the report. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Ingest every run manifest of a work directory (runs submitted with --submit-only, or run "
                + "as --shard) into its registry, print the table and write the report.",
                "Exit status 0 when every run has finished, 1 otherwise."})
final class ArenaCollectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workdir", required = true, paramLabel = "DIR", description = "The arena's work directory.")
    Path workdir;

    @Option(names = "--no-report", description = "Do not write the report files.")
    boolean noReport;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.replacesText() ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        Path dir = workdir.toAbsolutePath().normalize();
        ArenaCollector.Collected c = ArenaCollector.collect(dir);
        out.printf(Locale.ROOT, "%n%s%n", MarkdownReportWriter.runTable(c.report().runs()));
        for (FrontierSet f : c.report().frontiers()) {
            out.printf(Locale.ROOT, "frontier %s / %s: %s%n", f.target(), f.band(),
                    String.join(" -> ", f.points().stream().map(p -> p.id()).toList()));
        }
        out.print(PathSectionText.summary(c.report().postHoc()));
        out.printf(Locale.ROOT, "%ncollected: %d run(s), %d finished, %d failed, %d unfinished%n", c.runs(), c.finished(),
                c.failed(), c.unfinished());
        if (!noReport) {
            Path reportDir = dir.resolve("report");
            ReportFiles.write(c.report(), reportDir, ReportCommand.arenaConfig(dir));
            out.println("report: " + reportDir.resolve(ReportFiles.HTML));
        }
        out.flush();
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("runs", c.runs());
        doc.put("finished", c.finished());
        doc.put("failed", c.failed());
        doc.put("unfinished", c.unfinished());
        doc.put("report", noReport ? null : dir.resolve("report").resolve(ReportFiles.JSON).toString());
        json.emit(spec.commandLine().getOut(), doc);
        return c.finished() == c.runs() ? 0 : Main.EXIT_FAILURE;
    }
}
