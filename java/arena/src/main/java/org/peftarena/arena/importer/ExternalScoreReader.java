package org.peftarena.arena.importer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.formats.io.UserFileException;
import org.peftarena.formats.io.UserTextFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads external scores from CSV (a header naming the columns) or JSON (an array of objects, or an
 * object with a {@code scores} array). Columns / fields: {@code run} (or {@code run_id}) and/or
 * {@code adapter} (or {@code adapter_path}), {@code alpha} (default 1), {@code target},
 * {@code general}, and optionally {@code method}, {@code budget}, {@code target_task}, {@code params}.
 */
public final class ExternalScoreReader {

    /** Scores are percentages. */
    private static final double MAX_SCORE = 100.0;

    private ExternalScoreReader() {
    }

    /**
     * @throws ScoreImportException naming the file, line or entry and field of the first problem
     */
    public static List<ExternalScore> read(Path file) {
        if (!Files.exists(file)) {
            throw new ScoreImportException("score file not found: " + file);
        }
        try {
            String text = UserTextFiles.text(file);
            String trimmed = text.stripLeading();
            List<ExternalScore> out = trimmed.startsWith("[") || trimmed.startsWith("{") ? json(file, text) : csv(file, text);
            if (out.isEmpty()) {
                throw new ScoreImportException(file + " holds no scores");
            }
            checkNoDuplicates(file, out);
            return out;
        } catch (UserFileException e) {
            throw new ScoreImportException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ScoreImportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<ExternalScore> json(Path file, String text) {
        JsonNode root;
        try {
            root = UserTextFiles.STRICT_JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ScoreImportException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode list = root.isObject() ? root.get("scores") : root;
        if (list == null || !list.isArray()) {
            throw new ScoreImportException(file + ": expected an array of score objects (or {\"scores\": [...]})");
        }
        List<ExternalScore> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode o = list.get(i);
            if (!o.isObject()) {
                throw new ScoreImportException(file + ": entry " + i + " is not an object");
            }
            Map<String, String> fields = new HashMap<>();
            o.fields().forEachRemaining(e -> fields.put(normalise(e.getKey()),
                    e.getValue().isNull() ? null : e.getValue().asText()));
            out.add(score(fields, file + ": entry " + i));
        }
        return out;
    }

    private static List<ExternalScore> csv(Path file, String text) {
        String[] lines = text.split("\\R", 0);
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new ScoreImportException(file + ": empty CSV (expected a header line)");
        }
        List<String> header = cells(file, lines[0], 1).stream().map(ExternalScoreReader::normalise).toList();
        List<ExternalScore> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> cells = cells(file, lines[i], i + 1);
            if (cells.size() != header.size()) {
                throw new ScoreImportException(file + ":" + (i + 1) + ": " + cells.size() + " fields, the header has "
                        + header.size());
            }
            Map<String, String> fields = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                fields.put(header.get(c), cells.get(c).isBlank() ? null : cells.get(c).strip());
            }
            out.add(score(fields, file + ":" + (i + 1)));
        }
        return out;
    }

    private static List<String> cells(Path file, String line, int number) {
        try {
            return CsvLine.split(line);
        } catch (IllegalArgumentException e) {
            throw new ScoreImportException(file + ":" + number + ": " + e.getMessage(), e);
        }
    }

    private static ExternalScore score(Map<String, String> f, String where) {
        try {
            String run = first(f, "run", "run_id");
            String adapter = first(f, "adapter", "adapter_path");
            Function<String, Double> num = k -> {
                String v = f.get(k);
                if (v == null) {
                    return null;
                }
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + k + "' is not a number: " + v);
                }
            };
            Double alpha = num.apply("alpha");
            Double target = num.apply("target");
            Double general = num.apply("general");
            if (target == null || general == null) {
                throw new IllegalArgumentException("'target' and 'general' are required");
            }
            inRange("target", target, 0, MAX_SCORE);
            inRange("general", general, 0, MAX_SCORE);
            if (alpha != null) {
                inRange("alpha", alpha, 0, Double.MAX_VALUE);
            }
            Double params = num.apply("params");
            return new ExternalScore(run, adapter, alpha == null ? 1.0 : alpha, target, general, f.get("method"),
                    f.get("budget"), f.get("target_task"), params == null ? null : params.longValue());
        } catch (IllegalArgumentException e) {
            throw new ScoreImportException(where + ": " + e.getMessage(), e);
        }
    }

    private static void inRange(String key, double v, double lo, double hi) {
        if (!Double.isFinite(v) || v < lo || v > hi) {
            throw new IllegalArgumentException("'" + key + "' = " + v + " is outside [" + lo + ", "
                    + (hi == Double.MAX_VALUE ? "inf" : hi) + "]");
        }
    }

    /** Two rows for the same model and alpha would silently keep one of them; the file is refused instead. */
    private static void checkNoDuplicates(Path file, List<ExternalScore> scores) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ExternalScore s : scores) {
            String key = s.key() + " @ alpha " + s.alpha();
            if (!seen.add(key)) {
                throw new ScoreImportException(file + ": two rows for " + key);
            }
        }
    }

    private static String first(Map<String, String> f, String a, String b) {
        return f.get(a) != null ? f.get(a) : f.get(b);
    }

    private static String normalise(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }
}
