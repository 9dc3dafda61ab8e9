package org.peftarena.arena;

import java.nio.file.Path;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.report.ArenaReport;

/**
 * What an arena invocation did.
 *
 * @param plan     every run of the arena
 * @param executed runs executed now and finished
 * @param skipped  runs already finished before (not recomputed)
 * @param failed   runs that failed now
 * @param seconds  wall time of this invocation
 * @param report   the report over the whole registry after the arena (null for a shard, which has no registry)
 * @param workdir  the work directory
 * @param pending  runs left queued or running elsewhere (submitted without waiting, or left on interrupt)
 */
public record ArenaOutcome(ArenaPlan plan, int executed, int skipped, int failed, double seconds,
                           ArenaReport report, Path workdir, int pending) {
}
