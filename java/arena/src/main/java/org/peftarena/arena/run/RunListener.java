package org.peftarena.arena.run;

import java.util.Map;
import org.peftarena.train.TrainingProgress;

/** Receives progress of one run (what it is doing, training steps, evaluations) for a front end. */
public interface RunListener {
    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {
    };

    /** A new phase began ("loading", "training", "evaluating"). */
    default void phase(String description) {
    }

    /** One optimizer step finished. */
    default void step(TrainingProgress progress) {
    }

    /**
     * Scores were taken.
     *
     * @param step   training steps done (0 for the base model)
     * @param scores task name to percent
     */
    default void evaluated(int step, Map<String, Double> scores) {
    }
}
