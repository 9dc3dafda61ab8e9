package org.peftarena.arena;

import java.io.IOException;
import java.nio.file.Path;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.ReportBuilder;

/**
 * {@code arena collect}: ingests every run manifest of a work directory into its registry (runs
 * submitted without a coordinator waiting, or run as shards) and builds the report. Holds the work
 * directory's lock, like an arena, so it never races a coordinator.
 */
public final class ArenaCollector {
    /**
     * What a collection found.
     *
     * @param runs     runs in the plan
     * @param finished finished (ingested now or before)
     * @param failed   failed
     * @param report   the report over the registry
     */
    public record Collected(int runs, int finished, int failed, ArenaReport report) {
        /** Runs neither finished nor failed (queued, running, or never started). */
        public int unfinished() {
            return runs - finished - failed;
        }
    }

    private ArenaCollector() {
    }

    /**
     * @throws ArenaBusyException when a coordinator holds the work directory
     * @throws IOException        when there is no plan or a file cannot be read
     */
    @SuppressWarnings("try") // the work-directory lock is held for its extent
    public static Collected collect(Path workdir) throws IOException {
        Path dir = workdir.toAbsolutePath().normalize();
        try (WorkdirLock lock = WorkdirLock.acquire(dir); RunRegistry registry = RunRegistry.open(ArenaRunner.registryFile(dir))) {
            PlanFile plan = PlanFile.read(dir);
            int finished = ArenaRunner.registerAndIngest(plan, registry, dir, plan.arenaConfig().interpolation());
            int failed = 0;
            for (RunRecord r : registry.all()) {
                if (r.status() == RunStatus.FAILED) {
                    failed++;
                }
            }
            return new Collected(plan.runs().size(), finished, failed,
                    ReportBuilder.build(registry, plan.arenaConfig().name()));
        }
    }
}
