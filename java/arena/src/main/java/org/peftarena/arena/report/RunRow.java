package org.peftarena.arena.report;

import java.util.Map;

/**
 * One run in a report.
 *
 * @param runId               run id
 * @param kind                base, finetune or external
 * @param status              registry status
 * @param method              method name
 * @param budget              budget band
 * @param size                rank or block size (0 when none)
 * @param params              trainable parameters
 * @param target              target task
 * @param seed                training seed
 * @param targetScore         Target in percent, or null when not scored
 * @param generalScore        General in percent, or null
 * @param forget              General(base) - General(run), or null without a base
 * @param gain                Target(run) - Target(base), or null without a base
 * @param onFrontier          whether its (method, budget, target) group is on the target's frontier
 * @param onBandFrontier      whether its group is on the frontier of its budget band
 * @param trainSeconds        training wall time
 * @param evalSeconds         evaluation wall time
 * @param totalSeconds        whole-run wall time
 * @param trainTokensPerSecond training throughput
 * @param evalTokensPerSecond mean evaluation throughput over its tasks, or null
 * @param tasks               per-task scores in percent
 * @param attempts            attempts the registry counted
 * @param artifactDir         artifact folder, or the imported adapter path
 */
public record RunRow(String runId, String kind, String status, String method, String budget, int size, long params,
                     String target, long seed, Double targetScore, Double generalScore, Double forget, Double gain,
                     boolean onFrontier, boolean onBandFrontier, double trainSeconds, double evalSeconds,
                     double totalSeconds, double trainTokensPerSecond, Double evalTokensPerSecond,
                     Map<String, Double> tasks, int attempts, String artifactDir) {
}
