package org.peftarena.arena.exec;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.peftarena.train.TrainingStoppedException;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.registry.ArtifactRecord;
import org.peftarena.arena.run.LocalRunExecutor;
import org.peftarena.arena.run.PostHocStage;
import org.peftarena.arena.run.RunArtifacts;
import org.peftarena.arena.run.RunDiagnosticsStage;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One planned run as a self-contained unit: training (resuming from its last checkpoint after an
 * interruption), scores along the path, diagnostics, the post-hoc path and rewinding, then
 * {@code manifest.json}. It reads the plan and writes only inside {@code runs/<id>/} (besides the
 * shared base-spectrum cache, whose entries are content-addressed and written atomically), and
 * never touches the registry: the coordinator ingests the manifest. The computations are the local
 * arena's, in the same order, so the answers are bit-identical.
 */
public final class RunUnit {
    /** Folder of the run artifact folders in a work directory. */
    public static final String RUNS_DIR = "runs";
    private static final Logger LOG = LoggerFactory.getLogger(RunUnit.class);

    private final Path workdir;
    private final PlanFile plan;
    private final LocalRunExecutor executor;
    private final PostHocStage postHoc;
    private final RunDiagnosticsStage diagnostics;

    /**
     * @param workdir the arena's work directory
     * @param plan    its plan
     */
    public RunUnit(Path workdir, PlanFile plan) {
        this.workdir = workdir.toAbsolutePath().normalize();
        this.plan = plan;
        ArenaConfig config = plan.arenaConfig();
        TaskCatalog catalog = new TaskCatalog(config.tasks(), config.evaluation().problems(), config.evaluation().seed());
        this.executor = new LocalRunExecutor(catalog, true);
        this.postHoc = new PostHocStage(catalog, config.interpolation());
        this.diagnostics = new RunDiagnosticsStage(config.diagnostics(), catalog, this.workdir);
    }

    /** A run's folder. */
    public static Path runDir(Path workdir, String runId) {
        return workdir.resolve(RUNS_DIR).resolve(runId);
    }

    /**
     * Runs one run to its manifest, or returns the manifest it has already when it finished before.
     * A failure is written into the manifest, not thrown.
     *
     * @throws IOException when the run folder or the manifest cannot be written
     */
    public RunManifest run(RunSpec spec, RunListener listener) throws IOException {
        Path dir = runDir(workdir, spec.id());
        Optional<RunManifest> done = RunManifest.read(dir, spec.id());
        if (done.isPresent() && done.get().finished()) {
            LOG.info("run {} finished already", spec.id());
            return done.get();
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(RunManifest.FILE)); // a failed or corrupt one: this attempt replaces it
        RunArtifacts.writeSpec(dir, spec);
        long t0 = System.nanoTime();
        Map<String, Double> timings = new LinkedHashMap<>();
        RunManifest manifest;
        try {
            RunResult result = executor.execute(spec, dir, listener);
            RunArtifacts.writeResult(dir, result);
            timings.put("run", seconds(t0));
            long t1 = System.nanoTime();
            ArtifactRecord diag = diagnostics.computeInFolder(spec, dir, result.modelPath(), listener::phase);
            timings.put("diagnostics", seconds(t1));
            long t2 = System.nanoTime();
            try {
                postHoc.ensureInFolder(spec, dir, baseScores(spec, listener), PostHocStage.endpoint(spec, result, spec),
                        listener);
            } catch (IOException | RuntimeException e) { // as in the local arena: the run stays finished
                LOG.warn("post-hoc stage of {} failed: {}", spec.id(), e.getClass().getSimpleName() + ": "
                        + e.getMessage(), e);
            }
            timings.put("posthoc", seconds(t2));
            timings.put("total", seconds(t0));
            manifest = new RunManifest(RunManifest.FORMAT, spec.id(), RunManifest.FINISHED, null, result, diag, timings,
                    artifacts(dir), host(), Instant.now().toString());
        } catch (TrainingStoppedException stop) {
            // a termination signal (scancel, a time limit): not a failure; no manifest, so the run stays
            // unfinished and its next attempt resumes from the checkpoint just written
            throw stop;
        } catch (IOException | RuntimeException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("run {} failed: {}", spec.id(), message, e);
            timings.put("total", seconds(t0));
            manifest = new RunManifest(RunManifest.FORMAT, spec.id(), RunManifest.FAILED, message, null, null, timings,
                    artifacts(dir), host(), Instant.now().toString());
        }
        manifest.write(dir);
        return manifest;
    }

    /**
     * The base run's final scores: from its manifest when it has finished, else scored here (the base
     * run's own evaluation, in memory; nothing is written to its folder), so the path's alpha = 0
     * point is the same number either way.
     */
    private ModelScores baseScores(RunSpec spec, RunListener listener) throws IOException {
        if (spec.kind() != RunKind.FINETUNE || spec.baseRunId() == null) {
            return null;
        }
        RunSpec base = plan.run(spec.baseRunId());
        Optional<RunManifest> m = RunManifest.read(runDir(workdir, base.id()), base.id());
        RunResult result;
        if (m.isPresent() && m.get().finished()) {
            result = m.get().result();
        } else {
            LOG.info("base run {} has not finished: scoring the base model for the path of {}", base.id(), spec.id());
            result = executor.execute(base, runDir(workdir, spec.id()), listener);
        }
        return PostHocStage.endpoint(base, result, spec);
    }

    private static List<String> artifacts(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals(RunManifest.FILE)).sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
