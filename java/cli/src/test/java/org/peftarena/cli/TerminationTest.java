package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;

/** SIGTERM during training stops at a step boundary, saves a checkpoint and exits 143; --resume finishes the run. */
class TerminationTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void sigtermDuringTrainingCheckpointsAndExits143() throws Exception {
        LlamaConfig config = LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                 "num_attention_heads": 2, "num_key_value_heads": 2, "vocab_size": 259, "max_position_embeddings": 64,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""");
        Path base = tmp.resolve("base");
        HfModelDirectory.save(new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 1, 0.2)), base);
        new ByteTokenizer().exportTo(base);
        Path data = Files.writeString(tmp.resolve("d.jsonl"), "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n");
        Path out = tmp.resolve("run");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--base", base.toString(),
                "--method", "oft", "--block-size", "4", "--data", data.toString(), "--out", out.toString(),
                "--steps", "100000", "--batch-size", "1", "--log-every", "1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean signalled = false;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                if (!signalled && line.startsWith("step 3/")) {
                    // Process.destroy would also close our end of the pipe; kill sends only the signal
                    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
                    signalled = true;
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), log.toString());
        assertEquals(Main.EXIT_TERMINATED, p.exitValue(), log.toString());
        assertFalse(log.toString().contains("SIGSEGV") || log.toString().contains("hs_err"), log.toString());
        assertTrue(log.toString().contains("--resume"), log.toString());
        try (var s = Files.list(out.resolve("checkpoints"))) {
            assertTrue(s.anyMatch(c -> Files.isRegularFile(c.resolve("trainer_state.json"))), log.toString());
        }
    }
}
