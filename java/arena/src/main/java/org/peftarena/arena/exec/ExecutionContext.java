package org.peftarena.arena.exec;

import java.nio.file.Path;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.registry.RunRegistry;

/**
 * What an executor works on.
 *
 * @param config   the arena
 * @param workdir  its work directory (made absolute, so nothing handed to a job depends on this process's
 *                 working directory)
 * @param plan     its plan, as written to {@code plan.json}
 * @param catalog  its tasks
 * @param registry the run registry (null for executors that do not coordinate)
 * @param listener progress
 */
public record ExecutionContext(ArenaConfig config, Path workdir, PlanFile plan, TaskCatalog catalog,
                               RunRegistry registry, ArenaListener listener) {
    /** Makes the work directory absolute. */
    public ExecutionContext {
        workdir = workdir.toAbsolutePath().normalize();
    }

    /** A run's artifact folder. */
    public Path runDir(String runId) {
        return RunUnit.runDir(workdir, runId);
    }
}
