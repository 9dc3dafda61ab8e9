package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.MarkdownReportWriter;
import org.peftarena.arena.report.ReportBuilder;
import org.peftarena.arena.report.ReportFiles;
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
        PrintWriter o = spec.commandLine().getOut();
        o.println(MarkdownReportWriter.runTable(report.runs()));
        for (Path p : ReportFiles.write(report, dir)) {
            o.println("wrote " + p);
        }
        o.flush();
        return 0;
    }
}
