package org.peftarena.arena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.plan.ArenaPlanner;
import org.peftarena.arena.registry.ResultRows;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.report.ReportBuilder;
import org.peftarena.arena.run.LocalRunExecutor;
import org.peftarena.arena.run.PostHocStage;
import org.peftarena.arena.run.RunArtifacts;
import org.peftarena.arena.run.RunDiagnosticsStage;
import org.peftarena.arena.run.RunExecutor;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.model.Threads;
import org.peftarena.train.TrainingStoppedException;
import org.peftarena.train.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an arena in a work directory: plans the runs, registers them in the run registry
 * ({@code registry.db}), skips those already finished, executes the others one by one into
 * {@code runs/<id>/}, and stores each result in one registry transaction. An interrupted arena
 * (even by {@code kill -9}) is resumed by running it again: finished runs are kept, the run that
 * was interrupted starts over from a clean folder.
 */
public final class ArenaRunner {
    /** Registry file in the work directory. */
    public static final String REGISTRY_FILE = "registry.db";
    /** Folder of the run artifact folders. */
    public static final String RUNS_DIR = "runs";
    /** The config of the last arena run in this directory. */
    public static final String CONFIG_FILE = "arena.json";

    private static final Logger LOG = LoggerFactory.getLogger(ArenaRunner.class);

    private final ArenaConfig config;
    private final Path workdir;
    private final ArenaListener listener;
    private final Function<TaskCatalog, RunExecutor> executors;

    /**
     * @param config   the arena
     * @param workdir  work directory (created if needed)
     * @param listener progress
     */
    public ArenaRunner(ArenaConfig config, Path workdir, ArenaListener listener) {
        this(config, workdir, listener, LocalRunExecutor::new);
    }

    /**
     * @param executors builds the executor of the runs from the arena's task catalog
     */
    public ArenaRunner(ArenaConfig config, Path workdir, ArenaListener listener,
                       Function<TaskCatalog, RunExecutor> executors) {
        this.config = config;
        this.workdir = workdir.toAbsolutePath().normalize();
        this.listener = listener;
        this.executors = executors;
    }

    /** The registry file of a work directory. */
    public static Path registryFile(Path workdir) {
        return workdir.resolve(REGISTRY_FILE);
    }

    /**
     * Runs every run not finished yet.
     *
     * @throws ArenaBusyException when another arena holds the work directory
     */
    @SuppressWarnings("try") // the work-directory lock is held for its extent
    public ArenaOutcome run() throws IOException {
        long start = System.nanoTime();
        Threads.configureDefaults();
        // the whole plan is validated before the work directory or its registry exist
        TaskCatalog catalog = new TaskCatalog(config.tasks(), config.evaluation().problems(), config.evaluation().seed());
        ArenaPlan plan = ArenaPlanner.plan(config, catalog);
        try (WorkdirLock lock = WorkdirLock.acquire(workdir); RunRegistry registry = RunRegistry.open(registryFile(workdir))) {
            List<String> interrupted = registry.resetInterrupted();
            if (!interrupted.isEmpty()) {
                LOG.info("resuming: {} interrupted run(s) start over: {}", interrupted.size(), interrupted);
            }
            AtomicFiles.write(workdir.resolve(CONFIG_FILE), ArenaConfigLoader.toJson(config).getBytes(StandardCharsets.UTF_8));
            int finished = 0;
            for (RunSpec s : plan.runs()) {
                RunRecord r = registry.register(s, runDir(s));
                if (r.status() == RunStatus.FINISHED) {
                    finished++;
                }
            }
            listener.arenaStarted(plan, finished);
            RunExecutor executor = executors.apply(catalog);
            PostHocStage postHoc = new PostHocStage(catalog, config.interpolation());
            RunDiagnosticsStage diagnostics = new RunDiagnosticsStage(config.diagnostics(), catalog, workdir);
            int executed = 0;
            int skipped = 0;
            int failed = 0;
            for (int i = 0; i < plan.size(); i++) {
                RunSpec spec = plan.runs().get(i);
                if (registry.find(spec.id()).orElseThrow().status() == RunStatus.FINISHED) {
                    skipped++;
                    listener.runSkipped(i, spec);
                    postHoc(i, spec, registry, postHoc);
                    diagnostics.ensure(spec, registry, phase -> { }); // computes them when missing or outdated
                    continue;
                }
                if (execute(i, spec, registry, executor, diagnostics)) {
                    executed++;
                    postHoc(i, spec, registry, postHoc);
                } else {
                    failed++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("arena {}: {} run(s) executed, {} skipped, {} failed in {} s", config.name(), executed, skipped,
                    failed, Math.round(seconds));
            return new ArenaOutcome(plan, executed, skipped, failed, seconds,
                    ReportBuilder.build(registry, config.name()), workdir);
        }
    }

    private Path runDir(RunSpec spec) {
        return workdir.resolve(RUNS_DIR).resolve(spec.id());
    }

    /** The run's interpolation path, overshoot and rewinding; a failure is logged and leaves the run finished. */
    private void postHoc(int index, RunSpec spec, RunRegistry registry, PostHocStage stage) {
        try {
            stage.ensure(spec, runDir(spec), registry, new RunListener() {
                @Override
                public void phase(String description) {
                    listener.runPhase(index, spec, description);
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("post-hoc stage of {} failed: {}", spec.id(), e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private boolean execute(int index, RunSpec spec, RunRegistry registry, RunExecutor executor,
                            RunDiagnosticsStage diagnostics) {
        listener.runStarted(index, spec);
        registry.markRunning(spec.id());
        Path dir = runDir(spec);
        try {
            RunArtifacts.prepare(dir);
            RunArtifacts.writeSpec(dir, spec);
            RunResult result = executor.execute(spec, dir, new RunListener() {
                @Override
                public void phase(String description) {
                    listener.runPhase(index, spec, description);
                }

                @Override
                public void step(TrainingProgress progress) {
                    listener.runStep(index, spec, progress);
                }

                @Override
                public void evaluated(int step, Map<String, Double> scores) {
                    listener.runEvaluated(index, spec, step, scores);
                }
            });
            RunArtifacts.writeResult(dir, result);
            registry.markFinished(result, ResultRows.of(spec, result));
            diagnostics.ensure(spec, registry, phase -> listener.runPhase(index, spec, phase));
            listener.runFinished(index, spec, result);
            return true;
        } catch (TrainingStoppedException stop) {
            // not a failure: the run stays marked running, and the next start resumes it as interrupted
            throw stop;
        } catch (IOException | RuntimeException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("run {} failed: {}", spec.id(), message, e);
            registry.markFailed(spec.id(), message);
            listener.runFailed(index, spec, e);
            return false;
        }
    }
}
