package org.peftarena.arena.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A user task declared in an arena config: its kind and either one data path (split by a hash of
 * each item into train / validation / test) or separate train and test paths, with an optional
 * validation path (operating points are selected on validation scores; a task without them is
 * selected on test scores and the report says so).
 *
 * <p>A path is a {@code .jsonl} file (objects with {@code prompt} and {@code response}, or with
 * {@code text}), a text file (documents separated by blank lines), or a directory (every regular
 * file below it one document, in path order).
 *
 * @param kind  text, problems, or rl (JSONL objects with {@code prompt} and {@code answer}: an RL target)
 * @param path  data to hash-split, or null when train and test are given
 * @param train training data, or null
 * @param test  test data, or null
 * @param validation validation data next to {@code train} and {@code test}, or null
 */
@SuppressWarnings("InvalidParam") // {@code text} in the Javadoc names a JSON field, not a parameter
public record TaskSource(TaskKind kind, String path, String train, String test, String validation) {
    /** The config fields holding data paths (resolved against the config file, stored relative to a work directory). */
    public static final java.util.List<String> PATH_FIELDS = java.util.List.of("path", "train", "test", "validation");

    /** A declaration without a separate validation path. */
    public TaskSource(TaskKind kind, String path, String train, String test) {
        this(kind, path, train, test, null);
    }

    /** Requires either {@code path} or both {@code train} and {@code test}. */
    public TaskSource {
        if (kind == null) {
            throw new ArenaDataException("a user task needs a kind: text, problems or rl");
        }
        boolean single = path != null;
        boolean pair = train != null || test != null;
        if (single == pair || (pair && (train == null || test == null))) {
            throw new ArenaDataException("a user task needs either 'path' or both 'train' and 'test'");
        }
        if (single && validation != null) {
            throw new ArenaDataException("a user task's 'validation' goes with 'train' and 'test'; 'path' is split by hash");
        }
    }

    /** Every path this source reads, in declaration order. */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        if (path != null) {
            out.add(path);
        } else {
            out.add(train);
            out.add(test);
            if (validation != null) {
                out.add(validation);
            }
        }
        return out;
    }

    /** The same declaration with each path passed through a resolver (e.g. made absolute). */
    public TaskSource resolved(java.util.function.UnaryOperator<String> resolver) {
        return new TaskSource(kind, path == null ? null : resolver.apply(path),
                train == null ? null : resolver.apply(train), test == null ? null : resolver.apply(test),
                validation == null ? null : resolver.apply(validation));
    }
}
