package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An arena with AdaLoRA: budget-matched, trained, its intermediate checkpoints reloaded for the trajectory. */
class AdaLoraArenaTest {
    @Test
    void anArenaRunsAdaLoraWithItsTrajectory(@TempDir Path tmp) throws Exception {
        TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("model")));
        Files.writeString(tmp.resolve("t.txt"), "der die das und nicht wir haben eine.\n\n".repeat(20));
        Files.writeString(tmp.resolve("g.jsonl"), "{\"prompt\": \"1+2=\", \"response\": \"3\"}\n");
        Path config = Files.writeString(tmp.resolve("arena.yaml"), """
                name: ada
                base_model: model
                methods: [adalora]
                budgets: [{name: r2, lora_rank: 2}]
                targets: [t]
                general: [g]
                training: {steps: 4, batch_size: 2, seq_len: 32, checkpoint_every: 2}
                evaluation: {max_tokens: 64, problems: 1, batch_size: 2, trajectory_every: 2}
                tasks:
                  t: {kind: text, train: t.txt, test: t.txt}
                  g: {kind: problems, train: g.jsonl, test: g.jsonl}
                """);
        CliRunner r = CliRunner.run("arena", "--config", config.toString(), "--workdir", tmp.resolve("work").toString(),
                "--no-progress", "--no-report");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| adalora | r2 |"), r.out());
        assertTrue(r.out().contains("2 run(s) executed"), r.out());
    }
}
