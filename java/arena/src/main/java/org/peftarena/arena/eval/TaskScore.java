package org.peftarena.arena.eval;

import org.peftarena.arena.data.TaskKind;

/**
 * One model's score on one task, with the metric it is in and the per-item counts behind it.
 *
 * @param task            task name
 * @param kind            text, problems or rl
 * @param score           next-token accuracy (text) or exact match (problems), in percent
 * @param bitsPerToken    mean negative log2-likelihood per token (text tasks), else null
 * @param tokens          tokens scored (text) or generated (problems)
 * @param items           documents (text) or problems evaluated
 * @param seconds         wall time
 * @param metric          what {@code score} measures ({@link #TEXT_METRIC} or {@link #PROBLEM_METRIC})
 * @param counts          per-document (text) or per-problem counts behind the score, or null when not kept
 * @param passAtK         RL tasks: k to pass@k in percent (the unbiased estimator from sampled completions);
 *                        empty for other tasks and left out of the JSON then
 * @param passAtOneSe     RL tasks: standard error of pass@1 in percent over the problems, else null (left out
 *                        of the JSON then)
 */
public record TaskScore(String task, TaskKind kind, double score, Double bitsPerToken, long tokens, int items,
                        double seconds, String metric, ItemCounts counts,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                        java.util.Map<Integer, Double> passAtK,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                        Double passAtOneSe) {
    /** Metric of text tasks. */
    public static final String TEXT_METRIC = "next-token accuracy (teacher-forced)";
    /** Metric of problem tasks. */
    public static final String PROBLEM_METRIC = "exact match (greedy)";
    /** Metric of RL tasks (pass@k is kept next to it). */
    public static final String RL_METRIC = "exact match (greedy), with pass@k of sampled completions";

    /** Copies the pass@k map (sorted by k). */
    public TaskScore {
        passAtK = passAtK == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(passAtK));
    }

    /** A score with pass@k but no standard error of pass@1. */
    public TaskScore(String task, TaskKind kind, double score, Double bitsPerToken, long tokens, int items,
                     double seconds, String metric, ItemCounts counts, java.util.Map<Integer, Double> passAtK) {
        this(task, kind, score, bitsPerToken, tokens, items, seconds, metric, counts, passAtK, null);
    }

    /** A score without pass@k. */
    public TaskScore(String task, TaskKind kind, double score, Double bitsPerToken, long tokens, int items,
                     double seconds, String metric, ItemCounts counts) {
        this(task, kind, score, bitsPerToken, tokens, items, seconds, metric, counts, null);
    }

    /** A score in its kind's metric without per-item counts. */
    public TaskScore(String task, TaskKind kind, double score, Double bitsPerToken, long tokens, int items,
                     double seconds) {
        this(task, kind, score, bitsPerToken, tokens, items, seconds, metricOf(kind), null);
    }

    /** The metric a task of this kind is scored in. */
    public static String metricOf(TaskKind kind) {
        return switch (kind) {
            case TEXT -> TEXT_METRIC;
            case PROBLEMS -> PROBLEM_METRIC;
            case RL -> RL_METRIC;
        };
    }

    /** Evaluation throughput, tokens per second. */
    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
