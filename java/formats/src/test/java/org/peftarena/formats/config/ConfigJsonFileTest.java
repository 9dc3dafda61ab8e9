package org.peftarena.formats.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json must be a regular file (a FIFO would block the loader forever); a UTF-8 BOM is accepted. */
class ConfigJsonFileTest {
    static final String TINY = """
            {"model_type": "llama", "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 2,
             "num_attention_heads": 2, "num_key_value_heads": 2, "vocab_size": 259, "max_position_embeddings": 64,
             "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""";

    @TempDir
    Path tmp;

    @Test
    void aFifoIsRefused() throws Exception {
        Path fifo = tmp.resolve("config.json");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        IOException e = assertThrows(IOException.class, () -> LlamaConfig.load(fifo));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path f = tmp.resolve("config.json");
        Files.write(f, ("\uFEFF" + TINY).getBytes(StandardCharsets.UTF_8));
        assertEquals(16, LlamaConfig.load(f).hiddenSize());
    }
}
