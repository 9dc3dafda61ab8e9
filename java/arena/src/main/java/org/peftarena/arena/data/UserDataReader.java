package org.peftarena.arena.data;

import org.peftarena.train.data.PromptResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.formats.io.UserFileException;
import org.peftarena.formats.io.UserTextFiles;
import java.util.ArrayList;
import java.util.List;
import org.peftarena.train.rl.RlDataException;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.rl.RlProblem;
import org.peftarena.train.rl.RlTasks;
import java.util.stream.Stream;
import org.peftarena.train.data.DataSplit;

/** Reads a user task ({@link TaskSource}) into {@link TaskData}; every problem names the file and line. */
public final class UserDataReader {

    private UserDataReader() {
    }

    /**
     * @param name   the task's name
     * @param source its declaration (paths already resolved)
     * @throws ArenaDataException when a file is missing or malformed, or a split ends up empty
     */
    public static TaskData read(String name, TaskSource source) {
        if (source.kind() == TaskKind.TEXT) {
            List<String> train;
            List<String> validation = List.of();
            List<String> test;
            if (source.path() != null) {
                List<String> all = documents(Path.of(source.path()));
                train = all.stream().filter(d -> DataSplit.of(d) == DataSplit.TRAIN).toList();
                validation = all.stream().filter(d -> DataSplit.of(d) == DataSplit.VALIDATION).toList();
                test = all.stream().filter(d -> DataSplit.of(d) == DataSplit.TEST).toList();
            } else {
                train = documents(Path.of(source.train()));
                test = documents(Path.of(source.test()));
                validation = source.validation() == null ? List.of() : documents(Path.of(source.validation()));
            }
            return new TextTaskData(name, train, validation, test);
        }
        if (source.kind() == TaskKind.RL) {
            return rl(name, source);
        }
        List<PromptResponse> train;
        List<PromptResponse> validation = List.of();
        List<PromptResponse> test;
        if (source.path() != null) {
            List<PromptResponse> all = problems(Path.of(source.path()));
            train = all.stream().filter(p -> DataSplit.of(p.prompt()) == DataSplit.TRAIN).toList();
            validation = all.stream().filter(p -> DataSplit.of(p.prompt()) == DataSplit.VALIDATION).toList();
            test = all.stream().filter(p -> DataSplit.of(p.prompt()) == DataSplit.TEST).toList();
        } else {
            train = problems(Path.of(source.train()));
            test = problems(Path.of(source.test()));
            validation = source.validation() == null ? List.of() : problems(Path.of(source.validation()));
        }
        return new ProblemTaskData(name, train, validation, test);
    }

    private static RlTaskData rl(String name, TaskSource source) {
        List<RlProblem> train;
        List<RlProblem> validation;
        List<RlProblem> test;
        try {
            if (source.path() != null) {
                List<RlProblem> all = RlTasks.readJsonl(Path.of(source.path()));
                train = all.stream().filter(p -> DataSplit.of(p.prompt()) == DataSplit.TRAIN).toList();
                validation = all.stream().filter(p -> DataSplit.of(p.prompt()) == DataSplit.VALIDATION).toList();
                test = all.stream().filter(p -> DataSplit.of(p.prompt()) == DataSplit.TEST).toList();
            } else {
                train = RlTasks.readJsonl(Path.of(source.train()));
                test = RlTasks.readJsonl(Path.of(source.test()));
                validation = source.validation() == null ? List.of() : RlTasks.readJsonl(Path.of(source.validation()));
            }
        } catch (RlDataException e) {
            throw new ArenaDataException("task " + name + ": " + e.getMessage(), e);
        }
        if (train.isEmpty()) {
            throw new ArenaDataException("task " + name + " has no training problems");
        }
        return new RlTaskData(name, train, validation, test, RlOptions.DEFAULT_MAX_NEW_TOKENS);
    }

    /**
     * Documents of a text source: JSONL {@code text} fields, blank-line separated paragraphs of a
     * text file, or one document per file of a directory.
     */
    public static List<String> documents(Path path) {
        try {
            if (Files.isDirectory(path)) {
                List<String> out = new ArrayList<>();
                try (Stream<Path> s = Files.walk(path)) {
                    for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                        String text = UserTextFiles.text(f).strip();
                        if (!text.isEmpty()) {
                            out.add(text);
                        }
                    }
                }
                return nonEmpty(path, out);
            }
            requireFile(path);
            if (path.toString().endsWith(".jsonl")) {
                List<String> out = new ArrayList<>();
                forEachJsonLine(path, (node, line) -> out.add(field(node, "text", path, line)));
                return nonEmpty(path, out);
            }
            List<String> out = new ArrayList<>();
            for (String paragraph : UserTextFiles.text(path).split("\\R\\s*\\R", 0)) {
                if (!paragraph.isBlank()) {
                    out.add(paragraph.strip());
                }
            }
            return nonEmpty(path, out);
        } catch (UserFileException e) {
            throw new ArenaDataException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ArenaDataException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Problems of a JSONL file with {@code prompt} and {@code response} on every line. */
    public static List<PromptResponse> problems(Path path) {
        requireFile(path);
        if (!path.toString().endsWith(".jsonl")) {
            throw new ArenaDataException(path + ": problems must be a .jsonl file of {\"prompt\": ..., \"response\": ...}");
        }
        List<PromptResponse> out = new ArrayList<>();
        try {
            forEachJsonLine(path, (node, line) -> out.add(new PromptResponse(field(node, "prompt", path, line),
                    field(node, "response", path, line))));
        } catch (UserFileException e) {
            throw new ArenaDataException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ArenaDataException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return nonEmpty(path, out);
    }

    private interface LineConsumer {
        void accept(JsonNode node, int line);
    }

    private static void forEachJsonLine(Path path, LineConsumer consumer) throws IOException {
        List<String> lines = UserTextFiles.lines(path);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = UserTextFiles.STRICT_JSON.readTree(l);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ArenaDataException(path + ":" + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new ArenaDataException(path + ":" + (i + 1) + ": expected a JSON object");
            }
            consumer.accept(node, i + 1);
        }
    }

    private static String field(JsonNode node, String name, Path path, int line) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ArenaDataException(path + ":" + line + ": needs a non-empty string field '" + name + "'");
        }
        return v.asText();
    }

    private static void requireFile(Path path) {
        if (!Files.exists(path)) {
            throw new ArenaDataException("data file not found: " + path);
        }
        try {
            UserTextFiles.requireRegularFile(path);
        } catch (UserFileException e) {
            throw new ArenaDataException(e.getMessage(), e);
        }
    }

    private static <T> List<T> nonEmpty(Path path, List<T> items) {
        if (items.isEmpty()) {
            throw new ArenaDataException(path + " holds no items");
        }
        return items;
    }
}
