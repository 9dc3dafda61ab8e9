package org.peftarena.arena.exec;

import java.io.IOException;

/**
 * Where and how an arena's runs execute: in this process one by one, as a Slurm job array, or as
 * one shard of the plan. The arena plans, writes {@code plan.json}, registers the runs, then hands
 * them to its executor; implementations are chosen by name from {@code ArenaExecutors}.
 */
public interface ArenaExecutor {
    /**
     * Whether this executor coordinates: holds the work directory's lock and writes the registry. A
     * shard does not (many run at once); {@code arena collect} ingests what it leaves.
     */
    default boolean coordinates() {
        return true;
    }

    /**
     * Whether the runs execute outside this process (a scheduler), so that Ctrl-C should ask what to
     * do with them instead of ending the process.
     */
    default boolean runsElsewhere() {
        return false;
    }

    /**
     * Executes (or submits) the runs of the plan that are not finished.
     *
     * @param context the arena, its plan and (when coordinating) its registry
     * @return what happened
     * @throws IOException when the work directory cannot be written or the scheduler cannot be used
     */
    ExecutionSummary execute(ExecutionContext context) throws IOException;
}
