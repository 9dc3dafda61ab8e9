package org.peftarena.arena.report;

/**
 * Time spent by the runs in a report.
 *
 * @param finishedRuns              runs finished here (imported ones excluded)
 * @param runSeconds                summed whole-run wall time
 * @param trainSeconds              summed training time
 * @param evalSeconds               summed evaluation time
 * @param meanTrainTokensPerSecond  mean training throughput over finetuning runs
 * @param meanEvalTokensPerSecond   mean evaluation throughput over text tasks
 */
public record ReportTiming(int finishedRuns, double runSeconds, double trainSeconds, double evalSeconds,
                           double meanTrainTokensPerSecond, double meanEvalTokensPerSecond) {
}
