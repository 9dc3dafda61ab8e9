package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.arena.config.ArenaConfigException;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.importer.ExternalScoreReader;
import org.peftarena.arena.importer.ScoreImportException;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;
import org.peftarena.formats.io.NonFiniteTensorException;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsFormatException;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.TokenizerException;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.train.sft.SftDataException;
import org.peftarena.train.sft.SftDataset;

/**
 * Seeded mutation fuzzing of every parser a user's file reaches. Each mutant of the committed seed
 * corpus ({@code src/test/resources/fuzz/}) must parse, or throw the parser's documented exception;
 * any other throwable, a parse that does not return within {@link #TIMEOUT_SECONDS}, or acceptance of a
 * mutant that is invalid by construction (garbage after the value, a duplicate key, an extra CSV field,
 * trailing bytes after the tensors) fails the test. {@code -Dpeftarena.fuzz.iterations=N} raises the
 * per-parser budget; {@code -Dpeftarena.fuzz.seed=S} changes the mutations.
 */
class UserFileFuzzTest {
    static final int ITERATIONS = Integer.getInteger("peftarena.fuzz.iterations", 150);
    static final long SEED = Long.getLong("peftarena.fuzz.seed", 20261203L);
    static final long TIMEOUT_SECONDS = 20;
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "-1", "0", "1e999", "NaN", "null", "true",
        "\uFEFF", "\n", "\u0000", "\\u0000", "9223372036854775808", "1.5", " ", "\"\"", "#", "- ", ": ", "\t", "é"};
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-parse");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    static Path tmp;

    /** One parser: its seed files, the name a mutant is written under, how it is read, what it may throw. */
    record Target(String name, String corpus, String seed, String fileName, Parser parser, Invalid invalid,
                  List<Class<? extends Throwable>> documented) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Parser {
        void parse(Path file) throws Exception;
    }

    /** Makes a mutant that is invalid by construction, or returns null when the seed offers no such spot. */
    interface Invalid {
        byte[] make(byte[] seed, Random rnd);
    }

    static Stream<Target> targets() {
        return Stream.of(
                new Target("safetensors", "safetensors", "seed.safetensors", "m.safetensors", f -> {
                    try (SafetensorsFile s = SafetensorsFile.open(f)) {
                        long covered = 0;
                        for (String n : s.names()) {
                            covered += s.info(n).byteSize();
                            if (s.info(n).dtype().isFloatingPoint()) {
                                s.readFloats(n);
                            }
                        }
                        // an accepted file is tiled exactly by its tensors
                        assertTrue(covered == s.header().dataLength(), "accepted a file whose tensors do not tile the data");
                    }
                }, (seed, rnd) -> concat(seed, new byte[] {(byte) rnd.nextInt(256)}), List.of(SafetensorsFormatException.class)),
                new Target("safetensors index", "index", "model.safetensors.index.json", "model.safetensors.index.json", f -> {
                    try (ShardedCheckpoint c = ShardedCheckpoint.openIndex(f, SafetensorsFile.DEFAULT_MAX_MAP_BYTES)) {
                        c.names();
                    }
                }, UserFileFuzzTest::garbageAfterJson, List.of(SafetensorsFormatException.class)),
                new Target("config.json", "config", "config.json", "config.json", LlamaConfig::load,
                        UserFileFuzzTest::garbageAfterJson, List.of(ModelConfigException.class)),
                new Target("tokenizer.json", "tokenizer", "tokenizer.json", "tokenizer.json", f -> {
                    try (TextTokenizer t = Tokenizers.load(f.getParent())) {
                        t.encode("hello a b");
                    }
                }, UserFileFuzzTest::garbageAfterJson, List.of(TokenizerException.class)),
                new Target("training JSONL", "jsonl", "train.jsonl", "m.jsonl", SftDataset::readJsonl,
                        (seed, rnd) -> new String(seed, StandardCharsets.UTF_8).replaceFirst("\n", " x\n").getBytes(StandardCharsets.UTF_8),
                        List.of(SftDataException.class)),
                new Target("arena YAML", "arena", "arena.yaml", "m.yaml", f -> ArenaConfigLoader.load("quick", f, Map.of()),
                        (seed, rnd) -> ("name: twice\n" + new String(seed, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                        List.of(ArenaConfigException.class)),
                new Target("score CSV", "scores", "scores.csv", "m.csv", ExternalScoreReader::read,
                        (seed, rnd) -> (new String(seed, StandardCharsets.UTF_8).strip() + ",extra\n").getBytes(StandardCharsets.UTF_8),
                        List.of(ScoreImportException.class)),
                new Target("score JSON", "scores", "scores.json", "m.json", ExternalScoreReader::read,
                        UserFileFuzzTest::garbageAfterJson, List.of(ScoreImportException.class)),
                new Target("adapter_config.json", "adapter", "adapter_config.json", "adapter_config.json",
                        f -> AdapterIO.load(f.getParent()), UserFileFuzzTest::garbageAfterJson,
                        List.of(PeftException.class, NonFiniteTensorException.class)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void mutantsParseOrFailTyped(Target target) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(target.corpus() + "-" + target.fileName()));
        copyCorpus(target.corpus(), dir);
        byte[] seed = resource(target.corpus() + "/" + target.seed());
        Path file = dir.resolve(target.fileName());
        // the seed itself is valid
        Files.write(file, seed);
        run(target, file, "the seed");
        Random rnd = new Random(SEED ^ target.name().hashCode());
        List<String> problems = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < ITERATIONS && problems.size() < 5; i++) {
            boolean invalidByConstruction = i % 10 == 0;
            byte[] mutant = invalidByConstruction ? target.invalid().make(seed, rnd) : mutate(seed, rnd);
            Files.write(file, mutant);
            String label = "iteration " + i + (invalidByConstruction ? " (invalid by construction)" : "") + ": "
                    + preview(mutant);
            Throwable t = outcome(target, file);
            if (t == null) {
                accepted++;
                if (invalidByConstruction) {
                    problems.add(label + " was accepted");
                }
            } else if (t instanceof TimeoutException) {
                problems.add(label + " did not finish within " + TIMEOUT_SECONDS + " s");
            } else if (target.documented().stream().noneMatch(c -> c.isInstance(t))) {
                problems.add(label + " threw " + t.getClass().getName() + ": " + t.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            fail(target.name() + " (seed " + SEED + "):\n  " + String.join("\n  ", problems));
        }
        assertTrue(accepted > 0 || ITERATIONS < 20, "no mutant of " + target.name() + " parsed; the mutator only breaks files");
    }

    private static void run(Target target, Path file, String what) throws Exception {
        Throwable t = outcome(target, file);
        if (t != null) {
            throw new AssertionError(target.name() + ": " + what + " does not parse", t);
        }
    }

    /** Null when the parser accepted the file, else what it threw (a TimeoutException for a hang). */
    private static Throwable outcome(Target target, Path file) throws InterruptedException {
        Future<?> f = RUNNER.submit(() -> {
            target.parser().parse(file);
            return null;
        });
        try {
            f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            return e;
        }
    }

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    static byte[] mutate(byte[] seed, Random rnd) {
        byte[] m = seed.clone();
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits && m.length > 0; e++) {
            int pos = rnd.nextInt(m.length);
            switch (rnd.nextInt(6)) {
                case 0 -> m[pos] = (byte) rnd.nextInt(256);
                case 1 -> m = Arrays.copyOf(m, pos);
                case 2 -> m = concat(Arrays.copyOf(m, pos), Arrays.copyOfRange(m, Math.min(m.length, pos + 1 + rnd.nextInt(8)), m.length));
                case 3 -> {
                    byte[] tok = TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                    m = concat(concat(Arrays.copyOf(m, pos), tok), Arrays.copyOfRange(m, pos, m.length));
                }
                case 4 -> {
                    int len = Math.min(m.length - pos, 1 + rnd.nextInt(16));
                    m = concat(concat(Arrays.copyOf(m, pos + len), Arrays.copyOfRange(m, pos, pos + len)),
                            Arrays.copyOfRange(m, pos + len, m.length));
                }
                default -> {
                    // digits are where counts, shapes and offsets live
                    m[pos] = (byte) ('0' + rnd.nextInt(10));
                }
            }
        }
        return m;
    }

    static byte[] garbageAfterJson(byte[] seed, Random rnd) {
        return concat(seed, (" " + "x]}1\"".charAt(rnd.nextInt(5))).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String preview(byte[] m) {
        String s = new String(m, 0, Math.min(m.length, 160), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return "'" + s + (m.length > 160 ? "...'" : "'");
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = UserFileFuzzTest.class.getResourceAsStream("/fuzz/" + path)) {
            if (in == null) {
                throw new IOException("fuzz corpus file " + path + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static void copyCorpus(String corpus, Path dir) throws IOException {
        for (String name : switch (corpus) {
            case "index" -> List.of("model-00001-of-00001.safetensors");
            case "tokenizer" -> List.of("config.json");
            case "adapter" -> List.of("adapter_model.safetensors");
            default -> List.<String>of();
        }) {
            Files.write(dir.resolve(name), resource(corpus + "/" + name));
        }
    }
}
