package org.peftarena.train.sft;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.formats.io.UserFileException;
import org.peftarena.formats.io.UserTextFiles;
import java.util.ArrayList;
import java.util.List;
import org.peftarena.train.data.AdditionProblems;
import org.peftarena.train.data.DataSplit;

/**
 * Reads SFT data: JSONL with one object per line, either {@code {"prompt", "response"}} or
 * {@code {"text"}} (every token scored), or a builtin generated set named {@code builtin:NAME}.
 */
public final class SftDataset {
    /** Prefix of builtin dataset names. */
    public static final String BUILTIN_PREFIX = "builtin:";
    /** Number of generated examples in a builtin set. */
    public static final int BUILTIN_SIZE = 4000;


    private SftDataset() {}

    /**
     * Resolves a data source: a JSONL file path or {@code builtin:addition}.
     *
     * @param seed generator seed of builtin sets
     * @throws SftDataException naming the file and line of the first bad record, or an unknown builtin
     */
    public static List<SftExample> load(String source, long seed) {
        if (source.startsWith(BUILTIN_PREFIX)) {
            String name = source.substring(BUILTIN_PREFIX.length());
            if (name.equals("addition")) {
                List<SftExample> out = new ArrayList<>();
                for (AdditionProblems.Problem p : new AdditionProblems().generate(BUILTIN_SIZE, seed, DataSplit.TRAIN)) {
                    out.add(new SftExample(p.prompt(), p.answer()));
                }
                return out;
            }
            throw new SftDataException("unknown builtin dataset '" + name + "'; known: addition");
        }
        return readJsonl(Path.of(source));
    }

    /**
     * Reads a JSONL file completely before returning (blank lines are skipped).
     *
     * @throws SftDataException for a missing file, invalid JSON, or a record of neither shape
     */
    public static List<SftExample> readJsonl(Path file) {
        List<SftExample> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = UserTextFiles.lines(file);
        } catch (UserFileException e) {
            throw new SftDataException(e.getMessage(), e);
        } catch (IOException e) {
            throw new SftDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(parse(lines.get(i), file, i + 1));
            }
        }
        if (out.isEmpty()) {
            throw new SftDataException(file + " holds no examples");
        }
        return out;
    }

    private static SftExample parse(String line, Path file, int n) {
        JsonNode o;
        try {
            o = UserTextFiles.STRICT_JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new SftDataException(file + ":" + n + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new SftDataException(file + ":" + n + ": expected a JSON object");
        }
        try {
            if (o.has("response")) {
                JsonNode p = o.get("prompt");
                JsonNode resp = o.get("response");
                if ((p != null && !p.isTextual()) || !resp.isTextual()) {
                    throw new SftDataException("'prompt' and 'response' must be strings");
                }
                return new SftExample(p == null ? "" : p.asText(), resp.asText());
            }
            if (o.has("text") && o.get("text").isTextual()) {
                return new SftExample("", o.get("text").asText());
            }
        } catch (SftDataException e) {
            throw new SftDataException(file + ":" + n + ": " + e.getMessage(), e);
        }
        throw new SftDataException(file + ":" + n + ": expected {\"prompt\", \"response\"} or {\"text\"}");
    }
}
