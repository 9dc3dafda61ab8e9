package org.peftarena.arena.config;

/**
 * Training settings of one method that differ from the arena's common ones (null = common value).
 *
 * @param learningRate peak learning rate
 * @param steps        optimizer steps
 */
public record MethodTraining(Double learningRate, Integer steps) {
    /** Validates the values that are given. */
    public MethodTraining {
        if ((learningRate != null && !(learningRate > 0)) || (steps != null && steps < 1)) {
            throw new ArenaConfigException("per-method training: learning_rate must be > 0 and steps >= 1");
        }
    }
}
