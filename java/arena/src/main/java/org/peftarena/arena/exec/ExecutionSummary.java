package org.peftarena.arena.exec;

/**
 * What an executor did in one arena invocation.
 *
 * @param executed runs that finished now
 * @param skipped  runs finished before (not recomputed)
 * @param failed   runs that failed now
 * @param pending  runs left running or queued (submitted and not waited for, or left on interrupt)
 */
public record ExecutionSummary(int executed, int skipped, int failed, int pending) {
}
