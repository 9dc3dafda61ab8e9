package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster side of the arena command: shards, run-one, collect, and their errors. */
class ArenaClusterCommandsTest {
    @TempDir
    static Path tmp;

    static Path config;

    @BeforeAll
    static void setUp() throws Exception {
        config = TinyModelFixture.arena(tmp);
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
