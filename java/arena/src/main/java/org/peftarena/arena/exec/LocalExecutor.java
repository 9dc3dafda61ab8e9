package org.peftarena.arena.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.peftarena.train.TrainingStoppedException;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.registry.ResultRows;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.run.LocalRunExecutor;
import org.peftarena.arena.run.PostHocStage;
import org.peftarena.arena.run.RunArtifacts;
import org.peftarena.arena.run.RunDiagnosticsStage;
import org.peftarena.arena.run.RunExecutor;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default executor: runs the unfinished runs one by one in this process, storing each result
 * in the registry as it lands; a run that was interrupted resumes from its last checkpoint (exact
 * resume: the same result as an uninterrupted run), or starts over when it wrote none.
 */
public final class LocalExecutor implements ArenaExecutor {
    /** Name in configs and on the command line. */
    public static final String NAME = "local";

    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

    private final Function<TaskCatalog, RunExecutor> executors;

    /** Runs in this JVM on LibTorch. */
    public LocalExecutor() {
        this(catalog -> new LocalRunExecutor(catalog, true));
    }

    /** @param executors builds the executor of the runs from the arena's task catalog */
    public LocalExecutor(Function<TaskCatalog, RunExecutor> executors) {
        this.executors = executors;
    }

    @Override
    public ExecutionSummary execute(ExecutionContext ctx) throws IOException {
        RunRegistry registry = ctx.registry();
        RunExecutor executor = executors.apply(ctx.catalog());
        PostHocStage postHoc = new PostHocStage(ctx.catalog(), ctx.config().interpolation());
        RunDiagnosticsStage diagnostics = new RunDiagnosticsStage(ctx.config().diagnostics(), ctx.catalog(),
                ctx.workdir());
        int executed = 0;
        int skipped = 0;
        int failed = 0;
        for (int i = 0; i < ctx.plan().runs().size(); i++) {
            RunSpec spec = ctx.plan().runs().get(i);
            if (registry.find(spec.id()).orElseThrow().status() == RunStatus.FINISHED) {
                skipped++;
                ctx.listener().runSkipped(i, spec);
                postHoc(ctx, i, spec, postHoc);
                diagnostics.ensure(spec, registry, phase -> { }); // computes them when missing or outdated
                continue;
            }
            if (execute(ctx, i, spec, executor, diagnostics)) {
                executed++;
                postHoc(ctx, i, spec, postHoc);
            } else {
                failed++;
            }
        }
        return new ExecutionSummary(executed, skipped, failed, 0);
    }

    /** The run's interpolation path, overshoot and rewinding; a failure is logged and leaves the run finished. */
    private static void postHoc(ExecutionContext ctx, int index, RunSpec spec, PostHocStage stage) {
        try {
            stage.ensure(spec, ctx.runDir(spec.id()), ctx.registry(), new RunListener() {
                @Override
                public void phase(String description) {
                    ctx.listener().runPhase(index, spec, description);
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("post-hoc stage of {} failed: {}", spec.id(), e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static boolean execute(ExecutionContext ctx, int index, RunSpec spec, RunExecutor executor,
                                   RunDiagnosticsStage diagnostics) {
        ArenaListener listener = ctx.listener();
        RunRegistry registry = ctx.registry();
        listener.runStarted(index, spec);
        registry.markRunning(spec.id());
        Path dir = ctx.runDir(spec.id());
        try {
            if (RunArtifacts.prepareResume(dir, spec)) {
                LOG.info("run {} resumes from its last checkpoint", spec.id());
            }
            RunArtifacts.writeSpec(dir, spec);
            RunResult result = executor.execute(spec, dir, listener.forRun(index, spec));
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
