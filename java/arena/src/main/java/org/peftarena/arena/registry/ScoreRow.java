package org.peftarena.arena.registry;

/**
 * One stored score.
 *
 * @param runId  the run
 * @param phase  {@code final}, {@code trajectory} or {@code imported}
 * @param step   training steps done when scored (final: the run's step count)
 * @param alpha  interpolation coefficient from base (0) to finetuned (1)
 * @param task   task name, or {@code target} / {@code general} for the aggregates
 * @param metric {@code score} (percent), {@code bits_per_token}, {@code tokens_per_second}, {@code loss}, or
 *               {@code pass@k} (percent, RL tasks)
 * @param value  the value
 */
public record ScoreRow(String runId, String phase, int step, double alpha, String task, String metric,
                       double value) {
    /** Phase of a run's final scores. */
    public static final String FINAL = "final";
    /** Phase of scores taken along training. */
    public static final String TRAJECTORY = "trajectory";
    /** Phase of externally computed scores. */
    public static final String IMPORTED = "imported";
    /** Metric of the task score in percent. */
    public static final String SCORE = "score";
    /** Task name of the aggregate target score. */
    public static final String TARGET = "target";
    /** Task name of the aggregate general score. */
    public static final String GENERAL = "general";
    /** Prefix of the pass@k metrics of RL tasks. */
    public static final String PASS_AT = "pass@";

    /** The metric name of pass@k. */
    public static String passAt(int k) {
        return PASS_AT + k;
    }
}
