package org.peftarena.arena.data;

import java.util.List;
import org.peftarena.train.rl.RlProblem;

/**
 * A task with a verifiable reward, the target of RL runs: prompts with reference answers, trained
 * on by GRPO (the exact-match reward of the final answer) and scored by greedy exact match plus
 * pass@k from sampled completions. It cannot be the target of SFT runs, and is not part of General.
 *
 * @param name         task name
 * @param train        problems GRPO samples prompts from
 * @param validation   held-out problems operating points are selected on (may be empty: selection then falls back to test)
 * @param test         held-out problems, non-empty
 * @param maxNewTokens longest completion sampled in training and evaluation
 */
public record RlTaskData(String name, List<RlProblem> train, List<RlProblem> validation, List<RlProblem> test,
        int maxNewTokens) implements TaskData {
    /** Copies the lists and requires test problems. */
    public RlTaskData {
        train = List.copyOf(train);
        validation = validation == null ? List.of() : List.copyOf(validation);
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw new ArenaDataException("task " + name + " has no test problems");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public int validationSize() {
        return validation.size();
    }

    @Override
    public int testSize() {
        return test.size();
    }
}
