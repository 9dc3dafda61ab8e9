package org.peftarena.arena.data;

import java.util.List;

/**
 * A text task: documents to train on (next-token loss on every token) and held-out documents.
 *
 * @param name  task name
 * @param train training documents (may be empty for tasks only evaluated)
 * @param validation held-out documents operating points are selected on (may be empty: selection then falls back to test)
 * @param test  held-out documents, non-empty
 */
public record TextTaskData(String name, List<String> train, List<String> validation, List<String> test) implements TaskData {
    /** Copies the lists and requires test documents. */
    public TextTaskData {
        train = List.copyOf(train);
        validation = validation == null ? List.of() : List.copyOf(validation);
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw new ArenaDataException("task " + name + " has no test documents");
        }
    }

    /** A task without a validation split. */
    public TextTaskData(String name, List<String> train, List<String> test) {
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
