package org.peftarena.arena.data;

/**
 * The data of one task: training and held-out test items, either plain text documents (scored by
 * next-token accuracy and bits per token) or prompt/response problems (scored by exact match).
 */
public sealed interface TaskData permits TextTaskData, ProblemTaskData {
    /** The task's name, e.g. {@code de} or {@code arith}. */
    String name();

    /** Number of training items. */
    int trainSize();

    /** Number of validation items (0 when the task has no validation split). */
    int validationSize();

    /** Number of test items. */
    int testSize();
}
