package org.peftarena.arena.eval;

import org.peftarena.arena.data.TaskKind;

/**
 * One model's score on one task.
 *
 * @param task            task name
 * @param kind            text or problems
 * @param score           next-token accuracy (text) or exact match (problems), in percent
 * @param bitsPerToken    mean negative log2-likelihood per token (text tasks), else null
 * @param tokens          tokens scored (text) or generated (problems)
 * @param items           windows or problems evaluated
 * @param seconds         wall time
 */
public record TaskScore(String task, TaskKind kind, double score, Double bitsPerToken, long tokens, int items,
                        double seconds) {
    /** Evaluation throughput, tokens per second. */
    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
