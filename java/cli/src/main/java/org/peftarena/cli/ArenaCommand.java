package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.arena.ArenaOutcome;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.report.FrontierSet;
import org.peftarena.arena.report.MarkdownReportWriter;
import org.peftarena.arena.report.PathSectionText;
import org.peftarena.arena.report.ReportFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs an arena (the quick preset by default) and prints the table of runs and the frontiers. */
@Command(name = "arena", mixinStandardHelpOptions = true,
        description = {"Finetune a base model with several methods at matched parameter budgets, score Target "
                + "(plasticity) and General (stability), and report the Pareto frontier.",
                "Rerunning in the same work directory skips finished runs and resumes an interrupted arena."})
final class ArenaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "quick",
            description = "quick (minutes: full, lora, dora, pissa, oft at one budget on de) or full (every method, "
                    + "two budgets, three seeds, every target). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "Arena config (YAML or JSON) overlaid on the preset.")
    Path config;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Work directory (registry, run artifacts, report). Default: arena-work/<arena name>.")
    Path workdir;

    @Option(names = "--target", split = ",", paramLabel = "TASK",
            description = "Target task(s) replacing the config's: de, arith, code or a declared task.")
    List<String> targets;

    @Option(names = "--methods", split = ",", paramLabel = "METHOD", description = "Methods replacing the config's.")
    List<String> methods;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Seeds replacing the config's.")
    List<Long> seeds;

    @Option(names = "--base-model", paramLabel = "DIR", description = "Base model directory replacing the config's.")
    String baseModel;

    @Option(names = "--no-report", description = "Do not write the report files at the end.")
    boolean noReport;

    @Option(names = "--no-progress", description = "Plain log lines instead of redrawn progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        ArenaConfig c = load();
        Path dir = (workdir != null ? workdir : Path.of("arena-work", c.name())).toAbsolutePath().normalize();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "arena %s: %d method(s) x %d budget(s) x %d seed(s) on %s; base model %s; work %s%n",
                c.name(), c.methods().size(), c.budgets().size(), c.seeds().size(), c.targets(), c.baseModel(), dir);
        @SuppressWarnings("SystemConsoleNull") // Java 17: console() is null when not attached to a terminal
        ArenaProgress progress = new ArenaProgress(err, !noProgress && System.console() != null);
        ArenaOutcome outcome;
        try {
            outcome = new ArenaRunner(c, dir, progress).run();
        } catch (org.peftarena.train.TrainingStoppedException stop) {
            progress.close();
            err.printf(Locale.ROOT, "arena stopped by a termination signal; the registry is closed; run the same command"
                    + " again to resume%n");
            err.flush();
            return Main.EXIT_TERMINATED;
        } finally {
            progress.close();
        }
        out.printf(Locale.ROOT, "%n%s%n", MarkdownReportWriter.runTable(outcome.report().runs()));
        for (FrontierSet f : outcome.report().frontiers()) {
            out.printf(Locale.ROOT, "frontier %s / %s: %s%n", f.target(), f.band(),
                    String.join(" -> ", f.points().stream().map(p -> p.id()).toList()));
        }
        out.print(PathSectionText.summary(outcome.report().postHoc()));
        out.printf(Locale.ROOT, "%narena %s: %d run(s) executed, %d already finished, %d failed, in %s%n", c.name(),
                outcome.executed(), outcome.skipped(), outcome.failed(), ArenaProgress.clock(outcome.seconds()));
        boolean diagnosticsFailed = c.diagnostics().enabled()
                && DiagnosticsSummary.print(outcome.report().diagnostics(), out, err);
        if (!noReport) {
            Path reportDir = dir.resolve("report");
            ReportFiles.write(outcome.report(), reportDir);
            out.println("report: " + reportDir.resolve(ReportFiles.HTML));
        }
        out.flush();
        return outcome.failed() == 0 && !diagnosticsFailed ? 0 : Main.EXIT_FAILURE;
    }

    private ArenaConfig load() {
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (targets != null) {
            overrides.put("targets", targets);
        }
        if (methods != null) {
            overrides.put("methods", methods);
        }
        if (seeds != null) {
            overrides.put("seeds", seeds);
        }
        ArenaConfig c = ArenaConfigLoader.load(preset, config, overrides);
        String model = baseModel != null ? baseModel : c.baseModel();
        Map<String, Object> resolved = new LinkedHashMap<>(overrides);
        resolved.put("base_model", InstallRoot.resolve(model).toString());
        return ArenaConfigLoader.load(preset, config, resolved);
    }
}
