package org.peftarena.arena.data;

import java.util.List;

/**
 * A text task: documents to train on (next-token loss on every token) and held-out documents.
 *
 * @param name  task name
 * @param train training documents (may be empty for tasks only evaluated)
 * @param test  held-out documents, non-empty
 */
public record TextTaskData(String name, List<String> train, List<String> test) implements TaskData {
    /** Copies the lists and requires test documents. */
    public TextTaskData {
        train = List.copyOf(train);
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw new ArenaDataException("task " + name + " has no test documents");
        }
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
