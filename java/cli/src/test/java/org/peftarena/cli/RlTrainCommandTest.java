package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;

/** {@code train --regime rl}: a GRPO run that writes an HF PEFT adapter, and clear errors for bad RL input. */
class RlTrainCommandTest {
    @Test
    void grpoWritesAnHfPeftAdapterWithCheckpoints(@TempDir Path tmp) throws Exception {
        Path base = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("tasks.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n");
        Path adapter = tmp.resolve("adapter");
        CliRunner r = CliRunner.run("train", "--regime", "rl", "--base", base.toString(), "--method", "lora", "--rank", "2",
                "--data", data.toString(), "--out", adapter.toString(), "--steps", "4", "--prompt-batch", "2", "--group-size", "4",
                "--mini-batches", "2", "--max-new-tokens", "3", "--checkpoint-every", "2", "--log-every", "2", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().replace(" ", "").contains("\"regime\":\"rl\"") && r.out().contains("\"rollout_seconds\""), r.out());
        assertTrue(r.out().replace(" ", "").contains("\"max_new_tokens\":3"), r.out());
        assertTrue(AdapterIO.load(adapter).config() instanceof LoraConfig);
        assertTrue(Files.isRegularFile(adapter.resolve("checkpoints/step-000002/adapter_model.safetensors")));
    }

    @Test
    void theBuiltinTargetSamplesOneTokenCompletionsByDefault(@TempDir Path tmp) throws Exception {
        Path base = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
        CliRunner r = CliRunner.run("train", "--regime", "rl", "--base", base.toString(), "--method", "lora", "--rank", "2",
                "--data", "builtin:arithmetic", "--out", tmp.resolve("a").toString(), "--steps", "1", "--prompt-batch", "2",
                "--group-size", "2", "--mini-batches", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().replace(" ", "").contains("\"max_new_tokens\":1"), "the sum's leading digit: " + r.out());
    }

    @Test
    void badRlInputGivesOneErrorLine(@TempDir Path tmp) throws Exception {
        Path base = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("tasks.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n");
        CliRunner r = CliRunner.run("train", "--regime", "rl", "--base", base.toString(), "--method", "lora", "--data",
                data.toString(), "--out", tmp.resolve("a").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: ") && r.err().contains(":1: expected {\"prompt\": string, \"answer\": string}"), r.err());
        r = CliRunner.run("train", "--regime", "rl", "--reward", "bleu", "--base", base.toString(), "--method", "lora", "--data",
                "builtin:arithmetic", "--out", tmp.resolve("b").toString());
        assertTrue(r.err().contains("unknown reward 'bleu'"), r.err());
        r = CliRunner.run("train", "--regime", "dpo", "--base", base.toString(), "--method", "lora", "--data",
                "builtin:arithmetic", "--out", tmp.resolve("c").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--regime must be sft or rl"), r.err());
        assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")), "nothing left behind");
    }
}
