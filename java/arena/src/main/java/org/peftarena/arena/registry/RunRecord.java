package org.peftarena.arena.registry;

import org.peftarena.arena.spec.RunKind;

/**
 * One row of the run registry.
 *
 * @param id              run id
 * @param configHash      SHA-256 of the run spec's canonical JSON (null for imported runs)
 * @param kind            base, finetune or external
 * @param specJson        the run spec's canonical JSON (null for imported runs)
 * @param method          method name
 * @param budget          budget band
 * @param size            rank or block size (0 when none)
 * @param trainableParams trainable parameters
 * @param target          target task
 * @param seed            training seed
 * @param baseRunId       id of the run holding the base scores, or null
 * @param status          where the run stands
 * @param attempts        how many times it was started
 * @param createdAt       registration time (ISO-8601 UTC)
 * @param startedAt       start of the last attempt, or null
 * @param finishedAt      end of the finished attempt, or null
 * @param trainSeconds    training wall time
 * @param evalSeconds     evaluation wall time
 * @param totalSeconds    whole-run wall time
 * @param trainTokensPerSecond training throughput
 * @param backend         where it ran (cpu, cuda)
 * @param versionsJson    software versions as JSON
 * @param artifactDir     artifact folder (absolute), or the imported adapter path
 * @param modelPath       finetuned adapter or model folder, or null
 * @param error           message of the last failure, or null
 */
public record RunRecord(String id, String configHash, RunKind kind, String specJson, String method, String budget,
                        int size, long trainableParams, String target, long seed, String baseRunId,
                        RunStatus status, int attempts, String createdAt, String startedAt, String finishedAt,
                        double trainSeconds, double evalSeconds, double totalSeconds, double trainTokensPerSecond,
                        String backend, String versionsJson, String artifactDir, String modelPath, String error) {
}
