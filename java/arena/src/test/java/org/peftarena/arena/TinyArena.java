package org.peftarena.arena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.BudgetSpec;
import org.peftarena.arena.config.TrainingSettings;
import org.peftarena.arena.data.TaskKind;
import org.peftarena.arena.data.TaskSource;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelType;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.tokenizer.ByteTokenizer;

/** A tiny random byte-level model and tiny user tasks, so arena tests run in seconds. */
final class TinyArena {
    static final List<String> ALL_LINEAR = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj");

    private TinyArena() {
    }

    /** Writes a random 2-layer, width-32 byte-level Llama into {@code dir}. */
    static Path model(Path dir, long seed) throws IOException {
        LlamaConfig c = new LlamaConfig(ModelType.LLAMA, ByteTokenizer.VOCAB_SIZE, 32, 64, 2, 2, 1, 16, 1e-5, 10000.0,
                null, false, false, false, true, 64, ModelDType.FLOAT32.hfName(), ByteTokenizer.BOS,
                List.of(ByteTokenizer.EOS), ByteTokenizer.PAD, null);
        LlamaModel m = new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, seed, 0.02));
        HfModelDirectory.save(m, dir);
        new ByteTokenizer().exportTo(dir);
        return dir;
    }

    /** Writes a text task of short sentences over a small vocabulary (learnable in a few steps). */
    static Path text(Path file, String[] words, int paragraphs, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            for (int w = 0; w < 12; w++) {
                sb.append(words[r.nextInt(words.length)]).append(w == 11 ? ".\n\n" : " ");
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Writes a JSONL file of one-digit additions. */
    static Path sums(Path file, int count, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int a = r.nextInt(10);
            int b = r.nextInt(10);
            lines.add("{\"prompt\": \"" + a + "+" + b + "=\", \"response\": \"" + (a + b) + "\"}");
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Writes a JSONL file of one-digit additions as RL problems ({@code prompt}, {@code answer}). */
    static Path rlSums(Path file, int count, long seed) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(sums(file, count, seed), StandardCharsets.UTF_8)) {
            lines.add(l.replace("\"response\"", "\"answer\""));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * An RL grid over the tiny model: target {@code rsum} (one-digit additions, kind rl), general
     * {@code gen}; GRPO with 2 prompts x 2 completions per step, pass@k from 4 samples.
     */
    static ArenaConfig rlConfig(Path root, List<String> methods, int steps) throws IOException {
        ArenaConfig sft = config(root, methods, steps);
        Map<String, TaskSource> tasks = new java.util.TreeMap<>(sft.tasks());
        tasks.put("rsum", new TaskSource(TaskKind.RL, null, rlSums(root.resolve("data/rsum-train.jsonl"), 20, 8).toString(),
                rlSums(root.resolve("data/rsum-test.jsonl"), 6, 9).toString()));
        return new ArenaConfig("tiny-rl", sft.baseModel(), methods, sft.budgets(), List.of("rsum"), List.of("gen"),
                List.of(1L), ALL_LINEAR,
                new TrainingSettings(steps, 4, 32, 1e-3, 0.1, 0.01, 1.0, Math.max(1, steps / 2), Map.of()),
                new EvaluationSettings(256, 6, 0, 8, 7, Math.max(1, steps / 2), null, 4), tasks,
                null, null, List.of(), org.peftarena.arena.config.Regime.RL,
                new org.peftarena.arena.config.RlSettings(2, 2, 1, null, null, null, null, null));
    }

    /** A config over a tiny model and tiny tasks: target {@code tgt}, general {@code gen} and {@code sum}. */
    static ArenaConfig config(Path root, List<String> methods, int steps) throws IOException {
        Path model = model(root.resolve("model"), 11);
        String[] de = {"der", "die", "und", "nicht", "wir", "haben", "eine", "Kommission"};
        String[] en = {"the", "of", "and", "we", "have", "this", "Commission", "that"};
        Map<String, TaskSource> tasks = Map.of(
                "tgt", new TaskSource(TaskKind.TEXT, null, text(root.resolve("data/tgt-train.txt"), de, 80, 1).toString(),
                        text(root.resolve("data/tgt-test.txt"), de, 8, 2).toString(),
                        text(root.resolve("data/tgt-validation.txt"), de, 8, 12).toString()),
                "gen", new TaskSource(TaskKind.TEXT, null, text(root.resolve("data/gen-train.txt"), en, 4, 3).toString(),
                        text(root.resolve("data/gen-test.txt"), en, 8, 4).toString(),
                        text(root.resolve("data/gen-validation.txt"), en, 8, 14).toString()),
                "sum", new TaskSource(TaskKind.PROBLEMS, null, sums(root.resolve("data/sum-train.jsonl"), 20, 5).toString(),
                        sums(root.resolve("data/sum-test.jsonl"), 8, 6).toString(),
                        sums(root.resolve("data/sum-validation.jsonl"), 8, 16).toString()));
        return new ArenaConfig("tiny", model.toString(), methods, List.of(new BudgetSpec("r2", null, 2)),
                List.of("tgt"), List.of("gen", "sum"), List.of(1L), ALL_LINEAR,
                new TrainingSettings(steps, 4, 32, 1e-2, 0.1, 0.01, 1.0, Math.max(1, steps / 2), Map.of()),
                new EvaluationSettings(512, 8, 0, 8, 7, Math.max(1, steps / 2)), tasks);
    }
}
