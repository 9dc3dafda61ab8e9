package org.peftarena.arena.data;

/**
 * The data of one task: training and held-out test items, either plain text documents (scored by
 * next-token accuracy and bits per token), prompt/response problems (scored by exact match), or
 * problems with a verifiable reward (RL targets, scored by greedy exact match and pass@k).
 */
public sealed interface TaskData permits TextTaskData, ProblemTaskData, RlTaskData {
    /** The task's name, e.g. {@code de} or {@code arith}. */
    String name();

    /** Number of training items. */
    int trainSize();

    /** Number of validation items (0 when the task has no validation split). */
    int validationSize();

    /** Number of test items. */
    int testSize();
}
