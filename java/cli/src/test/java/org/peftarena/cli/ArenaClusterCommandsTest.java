package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelType;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.tokenizer.ByteTokenizer;

/** The cluster side of the arena command: shards, run-one, collect, and their errors. */
class ArenaClusterCommandsTest {
    @TempDir
    static Path tmp;

    static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        LlamaConfig c = new LlamaConfig(ModelType.LLAMA, ByteTokenizer.VOCAB_SIZE, 32, 64, 2, 2, 1, 16, 1e-5, 10000.0,
                null, false, false, false, true, 64, ModelDType.FLOAT32.hfName(), ByteTokenizer.BOS,
                List.of(ByteTokenizer.EOS), ByteTokenizer.PAD, null);
        Path model = tmp.resolve("model");
        HfModelDirectory.save(new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 1, 0.02)), model);
        new ByteTokenizer().exportTo(model);
        Files.writeString(tmp.resolve("tgt-train.txt"), "der die das und nicht wir haben eine.\n\n".repeat(30));
        Files.writeString(tmp.resolve("tgt-test.txt"), "die das und wir haben.\n\n".repeat(4));
        Files.writeString(tmp.resolve("gen-test.txt"), "the of and we have this.\n\n".repeat(4));
        Files.writeString(tmp.resolve("sum.jsonl"), "{\"prompt\": \"1+2=\", \"response\": \"3\"}\n");
        config = Files.writeString(tmp.resolve("arena.yaml"), """
                name: tiny
                base_model: model
                methods: [lora, full]
                budgets: [{name: r2, lora_rank: 2}]
                targets: [tgt]
                general: [gen, sum]
                training: {steps: 4, batch_size: 4, seq_len: 32, checkpoint_every: 2}
                evaluation: {max_tokens: 256, problems: 4, batch_size: 4, trajectory_every: 2}
                tasks:
                  tgt: {kind: text, train: tgt-train.txt, test: tgt-test.txt}
                  gen: {kind: text, train: gen-test.txt, test: gen-test.txt}
                  sum: {kind: problems, train: sum.jsonl, test: sum.jsonl}
                """);
    }

    private static String table(String out) {
        return String.join("\n", out.lines().filter(l -> l.startsWith("|")).toList());
    }

    @Test
    void shardsThenCollectPrintTheLocalTable() {
        Path local = tmp.resolve("local");
        CliRunner l = CliRunner.run("arena", "--config", config.toString(), "--workdir", local.toString(), "--no-progress",
                "--no-report");
        assertEquals(0, l.exitCode(), l.err());
        Path shards = tmp.resolve("shards");
        for (String shard : List.of("1/2", "0/2")) {
            CliRunner s = CliRunner.run("arena", "--config", config.toString(), "--workdir", shards.toString(),
                    "--shard", shard, "--no-progress");
            assertEquals(0, s.exitCode(), s.err());
            assertTrue(s.out().contains("arena collect --workdir"), s.out());
        }
        CliRunner again = CliRunner.run("arena", "run-one", "--workdir", shards.toString(), "--run", "0");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains(" finished"), again.out());
        CliRunner c = CliRunner.run("arena", "collect", "--workdir", shards.toString(), "--no-report");
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("collected: 3 run(s), 3 finished, 0 failed, 0 unfinished"), c.out());
        assertEquals(table(l.out()), table(c.out()));
        assertTrue(table(c.out()).contains("| lora | r2 |"), c.out());
    }

    @Test
    void badClusterInputIsAClearError() throws Exception {
        Path w = tmp.resolve("bad");
        CliRunner unknown = CliRunner.run("arena", "--config", config.toString(), "--workdir", w.toString(),
                "--executor", "nope");
        assertEquals(Main.EXIT_FAILURE, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown executor 'nope'"), unknown.err());
        CliRunner shard = CliRunner.run("arena", "--config", config.toString(), "--workdir", w.toString(), "--shard", "2/2");
        assertEquals(Main.EXIT_USAGE, shard.exitCode());
        assertTrue(shard.err().contains("0 <= i < N"), shard.err());
        CliRunner interrupt = CliRunner.run("arena", "--config", config.toString(), "--workdir", w.toString(),
                "--on-interrupt", "maybe");
        assertEquals(Main.EXIT_USAGE, interrupt.exitCode());
        CliRunner noPlan = CliRunner.run("arena", "run-one", "--workdir", w.toString(), "--run", "x");
        assertEquals(Main.EXIT_FAILURE, noPlan.exitCode());
        assertTrue(noPlan.err().contains("no plan"), noPlan.err());
        CliRunner plan = CliRunner.run("arena", "--config", config.toString(), "--workdir", w.toString(), "--plan-only");
        assertEquals(0, plan.exitCode(), plan.err());
        assertTrue(plan.out().startsWith("0 base-tgt-"), plan.out());
        CliRunner noRun = CliRunner.run("arena", "run-one", "--workdir", w.toString(), "--run", "nosuch");
        assertEquals(Main.EXIT_USAGE, noRun.exitCode());
        assertTrue(noRun.err().contains("no run 'nosuch'"), noRun.err());
        Path badExecutor = Files.writeString(tmp.resolve("bad-executor.yaml"),
                Files.readString(config) + "executor: {type: slurm, cpus_per_task: 0}\n");
        CliRunner badBlock = CliRunner.run("arena", "--config", badExecutor.toString(), "--workdir", w.toString());
        assertEquals(Main.EXIT_FAILURE, badBlock.exitCode());
        assertTrue(badBlock.err().contains("cpus_per_task"), badBlock.err());
    }
}
