package org.peftarena.arena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.config.InterpolationSettings;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.exec.ArenaExecutor;
import org.peftarena.arena.exec.ExecutionContext;
import org.peftarena.arena.exec.ExecutionSummary;
import org.peftarena.arena.exec.LocalExecutor;
import org.peftarena.arena.exec.ManifestIngest;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.exec.RunManifest;
import org.peftarena.arena.exec.RunUnit;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.plan.ArenaPlanner;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.report.ReportBuilder;
import org.peftarena.arena.run.RunExecutor;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.model.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an arena in a work directory: plans the runs, writes the plan ({@code plan.json}), registers
 * them in the run registry ({@code registry.db}), skips those already finished, hands the others
 * to its executor (in this process by default, or a Slurm job array, or a shard) and reports over
 * the registry. An interrupted arena (even by {@code kill -9}) is resumed by running it again:
 * finished runs are kept, the run that was interrupted resumes from its last checkpoint. Runs are
 * identified by content (the base model's fingerprint, the recipe, the data), never by paths, so a
 * moved or copied work directory resumes with nothing redone.
 */
public final class ArenaRunner {
    /** Registry file in the work directory. */
    public static final String REGISTRY_FILE = "registry.db";
    /** The config of the last arena run in this directory. */
    public static final String CONFIG_FILE = "arena.json";

    private static final Logger LOG = LoggerFactory.getLogger(ArenaRunner.class);

    private final ArenaConfig config;
    private final Path workdir;
    private final ArenaListener listener;
    private final ArenaExecutor executor;

    /**
     * @param config   the arena
     * @param workdir  work directory (created if needed)
     * @param listener progress
     */
    public ArenaRunner(ArenaConfig config, Path workdir, ArenaListener listener) {
        this(config, workdir, listener, new LocalExecutor());
    }

    /**
     * @param executors builds the executor of the runs from the arena's task catalog
     */
    public ArenaRunner(ArenaConfig config, Path workdir, ArenaListener listener,
                       Function<TaskCatalog, RunExecutor> executors) {
        this(config, workdir, listener, new LocalExecutor(executors));
    }

    /**
     * @param executor where the runs execute (local, a Slurm job array, a shard)
     */
    public ArenaRunner(ArenaConfig config, Path workdir, ArenaListener listener, ArenaExecutor executor) {
        this.config = config;
        this.workdir = workdir.toAbsolutePath().normalize();
        this.listener = listener;
        this.executor = executor;
    }

    /** The registry file of a work directory. */
    public static Path registryFile(Path workdir) {
        return workdir.resolve(REGISTRY_FILE);
    }

    /**
     * Runs every run not finished yet.
     *
     * @return the outcome; its report is null for an executor that does not coordinate (a shard)
     * @throws ArenaBusyException when another arena holds the work directory
     */
    @SuppressWarnings("try") // the work-directory lock is held for its extent
    public ArenaOutcome run() throws IOException {
        long start = System.nanoTime();
        Threads.configureDefaults();
        // the whole plan is validated before the work directory or its registry exist
        TaskCatalog catalog = new TaskCatalog(config.tasks(), config.evaluation().problems(), config.evaluation().seed());
        ArenaPlan arenaPlan = ArenaPlanner.plan(config, catalog);
        if (!executor.coordinates()) {
            PlanFile plan = PlanFile.of(config, arenaPlan);
            plan.write(workdir);
            int finished = 0;
            for (RunSpec r : plan.runs()) {
                if (RunManifest.read(RunUnit.runDir(workdir, r.id()), r.id()).filter(RunManifest::finished).isPresent()) {
                    finished++;
                }
            }
            listener.arenaStarted(plan.plan(), finished);
            ExecutionSummary s = executor.execute(new ExecutionContext(config, workdir, plan, catalog, null, listener));
            return new ArenaOutcome(plan.plan(), s.executed(), s.skipped(), s.failed(), (System.nanoTime() - start) / 1e9,
                    null, workdir, s.pending());
        }
        try (WorkdirLock lock = WorkdirLock.acquire(workdir)) {
            WorkdirMigration.migrateIfNeeded(config, workdir, arenaPlan.runs()).ifPresent(listener::notice);
            return coordinate(arenaPlan, catalog, start);
        }
    }

    /** Registers the plan and has the executor run what is unfinished; the caller holds the work-directory lock. */
    private ArenaOutcome coordinate(ArenaPlan arenaPlan, TaskCatalog catalog, long start) throws IOException {
        RunRegistry opened = RunRegistry.open(registryFile(workdir));
        try (RunRegistry registry = opened) {
            List<String> interrupted = registry.resetInterrupted();
            if (!interrupted.isEmpty()) {
                LOG.info("resuming {} interrupted run(s) from their last checkpoint: {}", interrupted.size(), interrupted);
            }
            AtomicFiles.write(workdir.resolve(CONFIG_FILE), ArenaConfigLoader.toJson(config).getBytes(StandardCharsets.UTF_8));
            PlanFile plan = PlanFile.of(config, arenaPlan);
            plan.write(workdir);
            int finished = registerAndIngest(plan, registry, workdir, config.interpolation());
            listener.arenaStarted(arenaPlan, finished);
            ExecutionSummary s = executor.execute(new ExecutionContext(config, workdir, plan, catalog, registry, listener));
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("arena {}: {} run(s) executed, {} skipped, {} failed, {} pending in {} s", config.name(), s.executed(),
                    s.skipped(), s.failed(), s.pending(), Math.round(seconds));
            return new ArenaOutcome(arenaPlan, s.executed(), s.skipped(), s.failed(), seconds,
                    ReportBuilder.build(registry, config.name()), workdir, s.pending());
        }
    }

    /**
     * Plans the arena and writes {@code plan.json} (what {@link #run} does first), without running anything.
     *
     * @return the plan written
     */
    public PlanFile writePlan() throws IOException {
        TaskCatalog catalog = new TaskCatalog(config.tasks(), config.evaluation().problems(), config.evaluation().seed());
        PlanFile plan = PlanFile.of(config, ArenaPlanner.plan(config, catalog));
        plan.write(workdir);
        return plan;
    }

    /**
     * Registers every run of a plan and ingests the manifests of unfinished runs whose units have
     * finished meanwhile (on a cluster, or as a shard).
     *
     * @return how many runs are finished
     */
    public static int registerAndIngest(PlanFile plan, RunRegistry registry, Path workdir,
                                        InterpolationSettings interpolation) throws IOException {
        int finished = 0;
        for (RunSpec s : plan.runs()) {
            Path dir = RunUnit.runDir(workdir, s.id());
            RunRecord r = registry.register(s, dir);
            if (r.status() != RunStatus.FINISHED) {
                ManifestIngest.ingest(registry, s, dir, interpolation);
                r = registry.find(s.id()).orElseThrow();
            }
            if (r.status() == RunStatus.FINISHED) {
                finished++;
            }
        }
        return finished;
    }
}
