package org.peftarena.arena.registry;

/**
 * One stored score.
 *
 * @param runId  the run
 * @param phase  {@code final}, {@code trajectory} or {@code imported}
 * @param step   training steps done when scored (final: the run's step count)
 * @param alpha  interpolation coefficient from base (0) to finetuned (1)
 * @param task   task name, or {@code target} / {@code general} for the aggregates
 * @param metric {@code score} (percent), {@code se}, {@code validation_score}, {@code validation_se},
 *               {@code bits_per_token}, {@code tokens_per_second}, {@code loss}, or {@code pass@k}
 *               (percent, RL tasks)
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
    /** Metric of a score's standard error in points (cluster bootstrap over documents or problems). */
    public static final String SE = "se";
    /** Metric of the score in percent on the validation split (path points: what operating points are selected on). */
    public static final String VALIDATION_SCORE = "validation_score";
    /** Metric of the validation score's standard error in points. */
    public static final String VALIDATION_SE = "validation_se";
    /** Task name of the aggregate target score. */
    public static final String TARGET = "target";
    /** Task name of the aggregate general score. */
    public static final String GENERAL = "general";
    /** Prefix of the pass@k metrics of RL tasks. */
    public static final String PASS_AT = "pass@";
    /** Metric of the standard error of pass@1 (percent); not a {@link #PASS_AT} metric. */
    public static final String PASS_AT_ONE_SE = "se_pass@1";

    /** The metric name of pass@k. */
    public static String passAt(int k) {
        return PASS_AT + k;
    }
}
