package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;
import picocli.CommandLine;

/**
 * No dead keys: every key of every command's {@code --json} document carries a value (not null, not an
 * empty array or object) in at least one of the invocations below, which between them exercise each
 * command's options. A key that is null in all of them is one no user can ever see filled, and fails
 * this test; keys that the test machine cannot fill are listed in {@link #NOT_FILLABLE_HERE} with the reason
 * and must be present. Every command must be covered: a new command fails here until it is.
 */
class DeadKeysTest {
    private static final ObjectMapper M = new ObjectMapper();

    /**
     * Keys of {@code doctor --json} that only a machine unlike the test machine fills: CUDA devices (the test
     * machine has none; {@code GpuPathTest} covers the GPU path's report), and the native library's load error
     * (it loads here, and a JVM cannot unload it to show the error).
     */
    private static final Set<String> NOT_FILLABLE_HERE = Set.of("cuda_device_names", "native_error");

    @TempDir
    Path tmp;

    /** Per command: key path -> whether some document gave it a value. */
    private final Map<String, Map<String, Boolean>> seen = new TreeMap<>();

    private JsonNode run(String command, String... args) throws Exception {
        return run(0, command, args);
    }

    private JsonNode run(int exitCode, String command, String... args) throws Exception {
        CliRunner r = CliRunner.run(args);
        assertEquals(exitCode, r.exitCode(), String.join(" ", args) + "\n" + r.err());
        JsonNode doc = M.readTree(r.out());
        record(seen.computeIfAbsent(command, k -> new TreeMap<>()), "", doc);
        return doc;
    }

    /** Records every key path under {@code path}; array elements share the path {@code a[]}. */
    private static void record(Map<String, Boolean> keys, String path, JsonNode node) {
        if (!path.isEmpty()) {
            keys.merge(path, hasValue(node), Boolean::logicalOr);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> record(keys, path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    e.getValue()));
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                record(keys, path + "[]", element);
            }
        }
    }

    private static boolean hasValue(JsonNode node) {
        return !(node.isNull() || node.isMissingNode() || (node.isContainerNode() && node.isEmpty()));
    }

    private static void leafCommands(CommandLine c, String prefix, List<String> into) {
        if (c.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
            return;
        }
        if (c.getSubcommands().isEmpty() || c.getCommandSpec().optionsMap().containsKey("--json")) {
            into.add(prefix.isEmpty() ? c.getCommandName() : prefix);
        }
        c.getSubcommands().forEach((name, sub) -> leafCommands(sub, prefix.isEmpty() ? name : prefix + " " + name, into));
    }

    /** Activations of two modules, 40 rows each, seeded. */
    private static void activations(Path file, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        SafetensorsWriter w = new SafetensorsWriter();
        for (String name : List.of("layer0.q", "layer0.down")) {
            float[] v = new float[40 * 6];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() * 2 - 1);
            }
            w.addFloats(name, new long[] {40, 6}, v);
        }
        w.write(file);
    }

    @Test
    void everyKeyOfEveryCommandCarriesAValueSomewhere() throws Exception {
        Path base = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
        LlamaModel model = TinyModelFixture.model();
        Path fixtureBase = TinyModelFixture.save(model, tmp.resolve("fixture-base"));
        Path oft = TinyModelFixture.adapter(model, new OftConfig(4), tmp.resolve("oft-b4"));
        Path lora = TinyModelFixture.adapter(model, new LoraConfig(2, 4), tmp.resolve("lora-r2"));

        run("doctor", "doctor", "--json");
        run("model info", "model", "info", "--json", base.toString());
        run("params", "params", "--model-config", base.toString(), "--method", "lora", "--rank", "2", "--json");
        run("params", "params", "--model-config", base.toString(), "--method", "oft", "--match-budget", "400", "--json");
        run("params", "params", "--model-config", base.toString(), "--method", "oft", "--block-size", "3", "--json");

        Path data = Files.writeString(tmp.resolve("data.jsonl"),
                "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
        Path adapter = tmp.resolve("adapter");
        run("train", "train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data", data.toString(),
                "--out", adapter.toString(), "--steps", "2", "--batch-size", "2", "--checkpoint-every", "1", "--json");
        run("train", "train", "--base", base.toString(), "--method", "lora", "--data", data.toString(), "--out",
                tmp.resolve("dry").toString(), "--dry-run", "--json");
        Path problems = Files.writeString(tmp.resolve("tasks.jsonl"),
                "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n");
        run("train", "train", "--regime", "rl", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data",
                problems.toString(), "--out", tmp.resolve("rl").toString(), "--steps", "2", "--prompt-batch", "2",
                "--group-size", "2", "--mini-batches", "1", "--max-new-tokens", "2", "--json");
        run("merge", "merge", "--base", base.toString(), "--adapter", adapter.toString(), "--out",
                tmp.resolve("merged").toString(), "--json");

        run("interpolate", "interpolate", "--base", fixtureBase.toString(), "--adapter", oft.toString(), "--alphas",
                "0,0.5,1", "--target", "arith", "--general", "addition", "--problems", "2", "--json");
        run("interpolate", "interpolate", "--base", fixtureBase.toString(), "--adapter", lora.toString(), "--alphas",
                "0,1", "--export", tmp.resolve("export").toString(), "--json");
        run("interpolate", "interpolate", "--base", base.toString(), "--adapter", adapter.toString(), "--alphas", "0,1",
                "--target", "arith", "--general", "addition", "--problems", "2", "--trajectory", adapter.toString(),
                "--json");
        run("rewind", "rewind", "--base", fixtureBase.toString(), "--adapter", oft.toString(), "--strategy", "safe-rho",
                "--out", tmp.resolve("rewound").toString(), "--json");
        run("rewind", "rewind", "--base", fixtureBase.toString(), "--adapter", oft.toString(), "--strategy", "uniform",
                "--out", tmp.resolve("rewound-uniform").toString(), "--json");
        run("rewind", "rewind", "--base", fixtureBase.toString(), "--adapter", lora.toString(), "--strategy", "uniform",
                "--out", tmp.resolve("rewound-lora").toString(), "--json");
        run("generate", "generate", fixtureBase.toString(), "--prompt", "1+1=", "--max-new-tokens", "2", "--json");

        Path merged = tmp.resolve("merged-oft");
        assertEquals(0, CliRunner.run("merge", "--base", fixtureBase.toString(), "--adapter", oft.toString(), "--out",
                merged.toString()).exitCode());
        run("analyze weights", "analyze", "weights", "--base", fixtureBase.toString(), "--tuned", merged.toString(),
                "--json");
        Path prompts = Files.writeString(tmp.resolve("g.txt"), "the cat sat on the mat\n\nall is well\n");
        Path targetPrompts = Files.writeString(tmp.resolve("t.txt"), "12 * 34 = 408\n");
        run("analyze drift", "analyze", "drift", "--base", fixtureBase.toString(), "--tuned", lora.toString(),
                "--general-prompts", prompts.toString(), "--target-prompts", targetPrompts.toString(), "--max-tokens",
                "20", "--json");
        Path x0 = tmp.resolve("x0.safetensors");
        Path x1 = tmp.resolve("x1.safetensors");
        activations(x0, 1);
        activations(x1, 2);
        run("analyze activations", "analyze", "activations", "--x0", x0.toString(), "--x1", x1.toString(),
                "--pca-ranks", "2,4", "--json");

        run("kernels bench", "kernels", "bench", "--batch", "2", "--block", "4", "--m", "4", "--n", "4",
                "--reps", "1", "--warmup", "0", "--json");

        Path arenaDir = Files.createDirectories(tmp.resolve("arena"));
        Path config = TinyModelFixture.arena(arenaDir);
        Path work = arenaDir.resolve("work");
        run("arena", "arena", "--config", config.toString(), "--workdir", work.toString(), "--no-progress", "--json");
        run("arena", "arena", "--config", config.toString(), "--workdir", tmp.resolve("plan").toString(),
                "--plan-only", "--json");
        Path sharded = tmp.resolve("sharded");
        CliRunner plan = CliRunner.run("arena", "--config", config.toString(), "--workdir", sharded.toString(),
                "--plan-only");
        assertEquals(0, plan.exitCode(), plan.err());
        String loraRun = plan.out().lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length > 1
                && f[1].startsWith("lora-")).map(f -> f[1]).findFirst().orElseThrow(() -> new AssertionError(plan.out()));
        run("arena run-one", "arena", "run-one", "--workdir", sharded.toString(), "--run", "0", "--json");
        // a run whose model folder is blocked by a file fails, and says why
        Files.writeString(Files.createDirectories(sharded.resolve("runs").resolve(loraRun)).resolve("model"), "a file");
        run(1, "arena run-one", "arena", "run-one", "--workdir", sharded.toString(), "--run", loraRun, "--json");
        // one run of three has finished: collect says so, writes the report of what there is, and exits 1
        run(1, "arena collect", "arena", "collect", "--workdir", sharded.toString(), "--json");
        Path csv = Files.writeString(tmp.resolve("s.csv"), """
                run,alpha,target,general,method,budget,target_task,params
                x,1,40.5,30.25,lora,r2,tgt,1000
                x,0.5,39,31,lora,r2,tgt,1000
                base,0,20,35,base,,tgt,
                """);
        run("import-scores", "import-scores", csv.toString(), "--workdir", work.toString(), "--json");
        run("report", "report", "--workdir", work.toString(), "--json");
        run("pretrain", "pretrain", "--steps", "1", "--out", tmp.resolve("pretrained").toString(), "--json");

        List<String> commands = new ArrayList<>();
        leafCommands(Main.commandLine(), "", commands);
        Set<String> uncovered = new TreeSet<>(commands);
        uncovered.removeAll(seen.keySet());
        assertTrue(uncovered.isEmpty(), "commands whose --json this test never runs: " + uncovered);

        List<String> dead = new ArrayList<>();
        seen.forEach((command, keys) -> keys.forEach((key, alive) -> {
            if (!alive && !(command.equals("doctor") && NOT_FILLABLE_HERE.contains(key))) {
                dead.add(command + ": " + key);
            }
        }));
        assertTrue(dead.isEmpty(), "keys that no invocation fills: " + dead);
        for (String key : NOT_FILLABLE_HERE) {
            assertTrue(seen.get("doctor").containsKey(key), "doctor --json lacks " + key);
        }
    }
}
