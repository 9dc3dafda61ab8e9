package org.peftarena.arena.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A user task declared in an arena config: its kind and either one data path (split by a hash of
 * each item into train / validation / test) or separate train and test paths.
 *
 * <p>A path is a {@code .jsonl} file (objects with {@code prompt} and {@code response}, or with
 * {@code text}), a text file (documents separated by blank lines), or a directory (every regular
 * file below it one document, in path order).
 *
 * @param kind  text, problems, or rl (JSONL objects with {@code prompt} and {@code answer}: an RL target)
 * @param path  data to hash-split, or null when train and test are given
 * @param train training data, or null
 * @param test  test data, or null
 */
@SuppressWarnings("InvalidParam") // {@code text} in the Javadoc names a JSON field, not a parameter
public record TaskSource(TaskKind kind, String path, String train, String test) {
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
    }

    /** Every path this source reads, in declaration order. */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        if (path != null) {
            out.add(path);
        } else {
            out.add(train);
            out.add(test);
        }
        return out;
    }

    /** The same declaration with each path passed through a resolver (e.g. made absolute). */
    public TaskSource resolved(java.util.function.UnaryOperator<String> resolver) {
        return new TaskSource(kind, path == null ? null : resolver.apply(path),
                train == null ? null : resolver.apply(train), test == null ? null : resolver.apply(test));
    }
}
