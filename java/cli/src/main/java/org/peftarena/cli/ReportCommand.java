package org.peftarena.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.MarkdownReportWriter;
import org.peftarena.arena.report.ReportBuilder;
import org.peftarena.arena.report.ReportFiles;
import org.peftarena.arena.spec.RunSpecJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Writes report.json, runs.csv, report.md and report.html from an arena's run registry. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.json, runs.csv, report.md and a self-contained report.html (charts: Target vs "
                + "General with the Pareto frontier, Gain and Forget per method, training trajectories; the runs' "
                + "geometry diagnostics: profiles against the pretrained spectrum, metrics, correlations with Forget).")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workdir", required = true, paramLabel = "DIR",
            description = "The arena's work directory. Repeat it to combine arenas run in pieces into one report "
                    + "(a run in several is taken from the first).")
    List<Path> workdirs;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: <workdir>/report.")
    Path out;

    @Option(names = "--title", description = "Report title. Default: the work directory's name.")
    String title;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        List<Path> dbs = new ArrayList<>();
        for (Path w : workdirs) {
            Path db = ArenaRunner.registryFile(w);
            if (!Files.isRegularFile(db)) {
                throw new ParameterException(spec.commandLine(), "no run registry in " + w + " (expected " + db + ")");
            }
            dbs.add(db);
        }
        Path workdir = workdirs.get(0);
        ArenaReport report;
        Path db = dbs.get(0);
        // on read-only storage a finished registry is read without locks or WAL files (report elsewhere with --out)
        boolean writable = Files.isWritable(db) && Files.isWritable(db.toAbsolutePath().getParent());
        try (RunRegistry registry = dbs.size() > 1 ? RunRegistry.combine(dbs)
                : writable ? RunRegistry.open(db) : RunRegistry.openReadOnly(db)) {
            report = ReportBuilder.build(registry, title != null ? title
                    : workdir.toAbsolutePath().normalize().getFileName().toString());
        }
        Path dir = out != null ? out : workdir.resolve("report");
        PrintWriter o = json.replacesText() ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        o.println(MarkdownReportWriter.runTable(report.runs()));
        List<String> written = new ArrayList<>();
        for (Path p : ReportFiles.write(report, dir, arenaConfig(workdir))) {
            o.println("wrote " + p);
            written.add(p.toString());
        }
        o.flush();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runs", report.runs().size());
        doc.put("bases", report.bases().size());
        doc.put("files", written);
        json.emit(spec.commandLine().getOut(), doc);
        return 0;
    }

    /**
     * The arena config of a work directory, for report.json: the last arena's ({@code arena.json}),
     * else the plan's; null when neither is there or readable.
     */
    static JsonNode arenaConfig(Path workdir) {
        try {
            Path last = workdir.resolve(ArenaRunner.CONFIG_FILE);
            if (Files.isRegularFile(last)) {
                return RunSpecJson.MAPPER.readTree(Files.readString(last, StandardCharsets.UTF_8));
            }
            if (Files.isRegularFile(PlanFile.file(workdir))) {
                return PlanFile.read(workdir).config();
            }
        } catch (IOException | RuntimeException e) {
            return null; // the report is written without it
        }
        return null;
    }
}
