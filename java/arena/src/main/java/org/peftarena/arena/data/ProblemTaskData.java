package org.peftarena.arena.data;

import org.peftarena.train.data.PromptResponse;
import java.util.List;

/**
 * A problem task: prompt/response pairs to train on (loss on the response only) and held-out
 * pairs scored by exact match of the greedy answer.
 *
 * @param name  task name
 * @param train training problems (may be empty for tasks only evaluated)
 * @param validation held-out problems operating points are selected on (may be empty: selection then falls back to test)
 * @param test  held-out problems, non-empty
 */
public record ProblemTaskData(String name, List<PromptResponse> train, List<PromptResponse> validation, List<PromptResponse> test)
        implements TaskData {
    /** Copies the lists and requires test problems. */
    public ProblemTaskData {
        train = List.copyOf(train);
        validation = validation == null ? List.of() : List.copyOf(validation);
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw new ArenaDataException("task " + name + " has no test problems");
        }
    }

    /** A task without a validation split. */
    public ProblemTaskData(String name, List<PromptResponse> train, List<PromptResponse> test) {
        this(name, train, List.of(), test);
    }

    @Override
    public int validationSize() {
        return validation.size();
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public int testSize() {
        return test.size();
    }
}
