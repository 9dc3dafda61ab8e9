package org.peftarena.train;

import java.util.Map;

/** Receives progress of a long computation (training steps, evaluations) so a front end can draw it. */
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** Called after every optimizer step. */
    default void onStep(TrainingProgress progress) {
    }

    /**
     * Called when scores were computed during or after training.
     *
     * @param step   steps completed when the scores were taken
     * @param scores score name to value (accuracies in percent)
     */
    default void onEvaluation(int step, Map<String, Double> scores) {
    }

    /** Called for a phase change worth showing ("loading data", "writing model"). */
    default void onPhase(String description) {
    }
}
