package org.peftarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.ArenaOutcome;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.config.ExecutorSettings;
import org.peftarena.arena.exec.ArenaExecutor;
import org.peftarena.arena.ArenaExecutors;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.exec.ShardExecutor;
import org.peftarena.arena.report.FrontierSet;
import org.peftarena.arena.report.MarkdownReportWriter;
import org.peftarena.arena.report.PathSectionText;
import org.peftarena.arena.report.ReportFiles;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.train.sft.DefaultLearningRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs an arena (the quick preset by default) and prints the table of runs and the frontiers. */
@Command(name = "arena", mixinStandardHelpOptions = true,
        description = {"Finetune a base model with several methods at matched parameter budgets, score Target "
                + "(plasticity) and General (stability), and report the Pareto frontier.",
                "Rerunning in the same work directory skips finished runs and resumes an interrupted arena.",
                "With --executor slurm every unfinished run becomes a task of one Slurm job array."},
        subcommands = {ArenaRunOneCommand.class, ArenaCollectCommand.class})
final class ArenaCommand implements Callable<Integer> {
    /** Exit status after Ctrl-C stopped the coordinator (128 + SIGINT, as shells report it). */
    static final int EXIT_INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--preset", defaultValue = "quick",
            description = "quick (minutes: full, lora, dora, pissa, oft at one budget on de), quick-rl (minutes: GRPO "
                    + "with full, lora, oft at one budget on the arithmetic target, scored with pass@k), full (every method, "
                    + "two budgets, three seeds, every target) or study (full, lora, oft at two budgets, three learning "
                    + "rates, two seeds: the grid that tests the study's claims). Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--lrs", split = ",", paramLabel = "LR",
            description = "Peak learning rates every method runs at (a sweep), replacing the config's learning rates "
                    + "(training.learning_rate(s) and the per-method ones; per-method steps stay).")
    List<Double> lrs;

    @Option(names = "--base-model", paramLabel = "DIR", description = "Base model directory replacing the config's.")
    String baseModel;

    @Option(names = "--no-report", description = "Do not write the report files at the end.")
    boolean noReport;

    @Option(names = "--no-progress", description = "Plain log lines instead of redrawn progress bars.")
    boolean noProgress;

    @Option(names = "--executor", paramLabel = "NAME",
            description = "Where runs execute: local (one by one in this process, the default) or slurm (one job "
                    + "array; resources from the config's executor: block). Replaces the config's executor.type.")
    String executor;

    @Option(names = "--submit-only", description = "slurm: submit the array and return; 'arena collect' ingests later.")
    boolean submitOnly;

    @Option(names = "--on-interrupt", paramLabel = "ACTION", defaultValue = "ask",
            description = "slurm: what Ctrl-C does to the submitted array: ask (on a terminal; else leave), cancel "
                    + "(scancel) or leave (keep it running). Default: ${DEFAULT-VALUE}.")
    String onInterrupt;

    @Option(names = "--poll-seconds", paramLabel = "S",
            description = "slurm: seconds between two looks at the queue (default: the config's, else 10).")
    Double pollSeconds;

    @Option(names = "--shard", paramLabel = "i/N",
            description = "Run only the i-th of N shares of the plan in this process (plan index mod N = i; i may be "
                    + "'auto' for $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID); then 'arena collect'.")
    String shard;

    @Option(names = "--plan-only", description = "Write plan.json and print the run ids by index; run nothing.")
    boolean planOnly;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();
    /**
     * A preset's learning rates are tuned for the shipped model; without a config of one's own they
     * would be applied to a much wider --base-model as they are.
     */
    private void warnAboutPresetLearningRates(ArenaConfig c, PrintWriter err) {
        Path modelConfig = Path.of(c.baseModel()).resolve("config.json");
        if (config != null || !Files.isRegularFile(modelConfig)) {
            return;
        }
        int hidden;
        try {
            hidden = LlamaConfig.load(modelConfig).hiddenSize();
        } catch (IOException | RuntimeException unreadable) {
            return; // loading the model reports it properly
        }
        if (DefaultLearningRates.tooLargeForDefaults(hidden)) {
            err.printf(Locale.ROOT, "warning: the learning rates of the %s preset are tuned for the shipped model (hidden size "
                    + "%d); %s has hidden size %d: set training.learning_rate (and per_method) in a --config file "
                    + "(adapters about 1e-4 to 3e-4, full finetuning 1e-5 to 2e-5)%n", preset,
                    DefaultLearningRates.TUNED_HIDDEN_SIZE, c.baseModel(), hidden);
            err.flush();
        }
    }

    @Override
    public Integer call() throws Exception {
        boolean deviceGiven = spec.commandLine().getParseResult().hasMatchedOption("--device");
        DeviceOption.Device where = DeviceOption.parse(device.device, spec.commandLine());
        if (where.cuda() && where.index() != 0) {
            throw new ParameterException(spec.commandLine(), "--device " + where + ": the arena's runs use the first"
                    + " visible GPU (a Slurm allocation's, or the one CUDA_VISIBLE_DEVICES names); give --device cuda");
        }
        // runs in this process need the GPU path here; Slurm tasks check it on their node (one GPU each)
        boolean here = shard != null || ExecutorSettings.LOCAL.equals(executorSettings().type());
        if (where.cuda() && here) {
            DeviceOption.requireUsable(where, GpuPath.detect(), spec.commandLine());
        }
        ArenaConfig c = load();
        if (deviceGiven) {
            c = c.withDevice(where.cuda() ? org.peftarena.arena.spec.RunSpec.CUDA : null);
        } else if (c.device() != null && here) {
            DeviceOption.requireUsable(new DeviceOption.Device(true, 0), GpuPath.detect(), spec.commandLine());
        }
        Path dir = (workdir != null ? workdir : Path.of("arena-work", c.name())).toAbsolutePath().normalize();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Verbosity.quiet()) {
            err.printf(Locale.ROOT, "arena %s: %d method(s) x %d budget(s) x %d seed(s) on %s; base model %s; work %s%n",
                    c.name(), c.methods().size(), c.budgets().size(), c.seeds().size(), c.targets(), c.baseModel(), dir);
        }
        warnAboutPresetLearningRates(c, err);
        if (planOnly) {
            PlanFile plan = new ArenaRunner(c, dir, ArenaListener.NONE).writePlan();
            if (!json.replacesText()) {
                for (int i = 0; i < plan.runs().size(); i++) {
                    out.printf(Locale.ROOT, "%d %s%n", i, plan.runs().get(i).id());
                }
                out.println("plan: " + PlanFile.file(dir));
                out.flush();
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("plan", PlanFile.file(dir).toString());
            doc.put("runs", plan.runs().stream().map(r -> r.id()).toList());
            json.emit(out, doc);
            return 0;
        }
        if (!InterruptSignal.ACTIONS.contains(onInterrupt)) {
            throw new ParameterException(spec.commandLine(), "--on-interrupt must be one of " + InterruptSignal.ACTIONS
                    + ", got '" + onInterrupt + "'");
        }
        boolean terminal = !noProgress && !Verbosity.quiet() && StatusLines.stderrIsTerminal();
        StatusLines status = new StatusLines(err, terminal, terminal ? StatusLines.terminalWidth() : StatusLines.DEFAULT_WIDTH);
        ArenaProgress progress = new ArenaProgress(status);
        ArenaOutcome outcome;
        boolean interrupted;
        try (InterruptSignal interrupt = new InterruptSignal(onInterrupt, err)) {
            ArenaExecutor chosen = executor(interrupt);
            if (chosen.runsElsewhere() && !submitOnly) {
                interrupt.install(); // Ctrl-C asks what to do with the remote work instead of ending the JVM
            }
            ArenaListener listener = Verbosity.quiet() ? ArenaListener.NONE : progress; // -q: no progress lines
            outcome = runRouted(status, new ArenaRunner(c, dir, listener, chosen));
            interrupted = interrupt.requested();
        } catch (org.peftarena.train.TrainingStoppedException stop) {
            progress.close();
            err.printf(Locale.ROOT, "arena stopped by a termination signal; the registry is closed; run the same command"
                    + " again to resume%n");
            err.flush();
            return Main.EXIT_TERMINATED;
        } finally {
            progress.close();
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("arena", c.name());
        doc.put("workdir", dir.toString());
        doc.put("runs", outcome.plan().size());
        doc.put("executed", outcome.executed());
        doc.put("skipped", outcome.skipped());
        doc.put("failed", outcome.failed());
        doc.put("pending", outcome.pending());
        doc.put("seconds", outcome.seconds());
        doc.put("report", null);
        doc.put("frontiers", outcome.report() == null ? null : outcome.report().frontiers().stream()
                .map(f -> {
                    Map<String, Object> frontier = new LinkedHashMap<>(); // fixed key order: target, band, runs
                    frontier.put("target", f.target());
                    frontier.put("band", f.band());
                    frontier.put("runs", f.points().stream().map(p -> p.id()).toList());
                    return frontier;
                }).toList());
        if (json.replacesText()) {
            out = new PrintWriter(java.io.Writer.nullWriter()); // the document is all stdout gets
        }
        if (outcome.report() == null) {
            json.emit(spec.commandLine().getOut(), doc);
            out.printf(Locale.ROOT, "shard %s of arena %s: %d run(s) executed, %d already finished, %d failed, in %s%n"
                    + "when every shard is done: peft-arena arena collect --workdir %s%n", shard, c.name(),
                    outcome.executed(), outcome.skipped(), outcome.failed(), ArenaProgress.clock(outcome.seconds()), dir);
            out.flush();
            return outcome.failed() == 0 ? 0 : Main.EXIT_FAILURE;
        }
        if (outcome.pending() > 0) {
            out.printf(Locale.ROOT, "arena %s: %d run(s) not finished (queued, running or cancelled), %d finished, "
                    + "%d failed; collect with: peft-arena arena collect --workdir %s; resume by running the arena "
                    + "again%n", c.name(), outcome.pending(), outcome.skipped() + outcome.executed(), outcome.failed(), dir);
            out.flush();
            json.emit(spec.commandLine().getOut(), doc);
            if (interrupted) {
                return EXIT_INTERRUPTED;
            }
            return outcome.failed() == 0 ? 0 : Main.EXIT_FAILURE;
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
            ReportFiles.write(outcome.report(), reportDir, RunSpecJson.MAPPER.readTree(ArenaConfigLoader.toJson(c)));
            out.println("report: " + reportDir.resolve(ReportFiles.HTML));
            doc.put("report", reportDir.resolve(ReportFiles.JSON).toString());
        }
        out.flush();
        json.emit(spec.commandLine().getOut(), doc);
        return outcome.failed() == 0 && !diagnosticsFailed ? 0 : Main.EXIT_FAILURE;
    }

    /** Runs the arena with every line written to stderr meanwhile printed above the bars (on a terminal). */
    @SuppressWarnings("try") // the routing is held for the run's extent
    private static ArenaOutcome runRouted(StatusLines status, ArenaRunner runner) throws Exception {
        if (!status.terminal()) {
            return runner.run();
        }
        try (AutoCloseable routed = status.routeSystemErr()) {
            return runner.run();
        }
    }

    /** The executor settings: the config's block, with the command line's choices. */
    private ExecutorSettings executorSettings() {
        ExecutorSettings s = ArenaConfigLoader.loadExecutor(config);
        if (executor != null) {
            s = s.withType(executor);
        }
        if (pollSeconds != null) {
            s = s.withPollSeconds(pollSeconds);
        }
        return s;
    }

    /** The shard executor when --shard is given; otherwise the configured one. */
    private ArenaExecutor executor(InterruptSignal interrupt) {
        if (shard != null) {
            String s = shard;
            if (s.startsWith("auto/")) {
                String index = System.getenv("JOB_COMPLETION_INDEX") != null ? System.getenv("JOB_COMPLETION_INDEX")
                        : System.getenv("SLURM_ARRAY_TASK_ID");
                if (index == null) {
                    throw new ParameterException(spec.commandLine(), "--shard auto/N needs JOB_COMPLETION_INDEX or "
                            + "SLURM_ARRAY_TASK_ID in the environment");
                }
                s = index + s.substring(4);
            }
            try {
                return ShardExecutor.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return ArenaExecutors.create(executorSettings(), new ArenaExecutors.Options(submitOnly, interrupt));
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
        ArenaConfig loaded = ArenaConfigLoader.load(preset, config, resolved);
        if (lrs != null) {
            try {
                return loaded.withTraining(loaded.training().withLearningRates(lrs));
            } catch (org.peftarena.arena.config.ArenaConfigException e) {
                throw new ParameterException(spec.commandLine(), "--lrs: " + e.getMessage());
            }
        }
        return loaded;
    }
}
