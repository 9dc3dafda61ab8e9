package org.peftarena.train.rl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peftarena.formats.io.UserFileException;
import org.peftarena.formats.io.UserTextFiles;
import org.peftarena.train.data.DataSplit;

/**
 * Reads RL problems: JSONL with one {@code {"prompt": ..., "answer": ...}} object per line, or the
 * embedded target {@code builtin:arithmetic} ({@link ArithmeticTask}).
 */
public final class RlTasks {
    /** Prefix of builtin task names. */
    public static final String BUILTIN_PREFIX = "builtin:";
    /** The embedded target's source name. */
    public static final String ARITHMETIC = BUILTIN_PREFIX + ArithmeticTask.NAME;
    /** Problems drawn for a builtin training set. */
    public static final int BUILTIN_SIZE = 2000;

    private RlTasks() {}

    /**
     * Resolves a source: a JSONL file path or {@code builtin:arithmetic} (training split).
     *
     * @throws RlDataException naming the file and line of the first bad record, or an unknown builtin
     */
    public static List<RlProblem> load(String source, long seed) {
        if (source.startsWith(BUILTIN_PREFIX)) {
            String name = source.substring(BUILTIN_PREFIX.length());
            if (name.equals(ArithmeticTask.NAME)) {
                ArithmeticTask task = new ArithmeticTask();
                return task.generate(Math.min(BUILTIN_SIZE, task.count(DataSplit.TRAIN)), seed, DataSplit.TRAIN);
            }
            throw new RlDataException("unknown builtin RL task '" + name + "'; known: " + ArithmeticTask.NAME);
        }
        return readJsonl(Path.of(source));
    }

    /**
     * The longest completion a source's problems need: a builtin task's own length
     * ({@link ArithmeticTask#maxNewTokens()}), else {@link RlOptions#DEFAULT_MAX_NEW_TOKENS}.
     */
    public static int defaultMaxNewTokens(String source) {
        return source.equals(ARITHMETIC) ? new ArithmeticTask().maxNewTokens() : RlOptions.DEFAULT_MAX_NEW_TOKENS;
    }

    /**
     * Reads a JSONL file completely before returning (blank lines are skipped).
     *
     * @throws RlDataException for a missing file, invalid JSON, or a record without string prompt and answer
     */
    public static List<RlProblem> readJsonl(Path file) {
        List<String> lines;
        try {
            lines = UserTextFiles.lines(file);
        } catch (UserFileException e) {
            throw new RlDataException(e.getMessage(), e);
        } catch (IOException e) {
            throw new RlDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<RlProblem> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(parse(lines.get(i), file, i + 1));
            }
        }
        if (out.isEmpty()) {
            throw new RlDataException(file + " holds no problems");
        }
        return out;
    }

    private static RlProblem parse(String line, Path file, int n) {
        JsonNode o;
        try {
            o = UserTextFiles.STRICT_JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RlDataException(file + ":" + n + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject() || !o.path("prompt").isTextual() || !o.path("answer").isTextual()) {
            throw new RlDataException(file + ":" + n + ": expected {\"prompt\": string, \"answer\": string}");
        }
        try {
            return new RlProblem(o.get("prompt").asText(), o.get("answer").asText());
        } catch (RlDataException e) {
            throw new RlDataException(file + ":" + n + ": " + e.getMessage(), e);
        }
    }
}
