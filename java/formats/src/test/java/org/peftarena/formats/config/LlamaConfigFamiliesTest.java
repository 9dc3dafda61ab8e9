package org.peftarena.formats.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LlamaConfigFamiliesTest {

    static String resource(String name) throws IOException {
        try (InputStream in = LlamaConfigFamiliesTest.class.getResourceAsStream("/model-configs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static LlamaConfig config(String name) throws IOException {
        return LlamaConfig.parse(name, resource(name));
    }

    /** Published parameter counts of the real checkpoints these configs describe. */
    @ParameterizedTest
    @CsvSource({
        "qwen2.5-7b.json, 7615616512",
        "llama-3.2-1b.json, 1235814400",
        "tinyllama-1.1b.json, 1100048384",
        "mistral-7b.json, 7241732096"})
    void parameterCountsMatchPublishedModels(String file, long expected) throws IOException {
        assertEquals(expected, config(file).parameterCount());
    }

    @ParameterizedTest
    @CsvSource({"qwen2.5-7b.json", "llama-3.2-1b.json", "tinyllama-1.1b.json", "mistral-7b.json"})
    void toJsonRoundTrips(String file) throws IOException {
        LlamaConfig c = config(file);
        assertEquals(c, LlamaConfig.parse("round trip of " + file, c.toJson()));
    }

    @Test
    void llama32HasLlama3RopeScalingTiedEmbeddingsAndSeveralEos() throws IOException {
        LlamaConfig c = config("llama-3.2-1b.json");
        assertEquals(ModelType.LLAMA, c.modelType());
        assertEquals(new RopeScaling(32.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(64, c.headDim());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(128000, c.bosTokenId());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertNull(c.padTokenId());
        assertFalse(c.qkvBias() || c.outputBias() || c.mlpBias());
        assertEquals(1e-5, c.rmsNormEps());
    }

    @Test
    void mistralRecordsItsSlidingWindow() throws IOException {
        LlamaConfig c = config("mistral-7b.json");
        assertEquals(ModelType.MISTRAL, c.modelType());
        assertEquals(OptionalInt.of(4096), c.attentionWindow());
        assertEquals(List.of(2), c.eosTokenIds());
        String noWindow = resource("mistral-7b.json").replace("\"sliding_window\": 4096", "\"sliding_window\": null");
        assertTrue(LlamaConfig.parse("no window", noWindow).attentionWindow().isEmpty());
        String absent = resource("mistral-7b.json").replace("\"sliding_window\": 4096,", "");
        assertEquals(OptionalInt.of(4096), LlamaConfig.parse("default window", absent).attentionWindow(),
                "Hugging Face's Mistral default window");
    }

    @Test
    void llamaAttentionBiasCoversAllFourProjections() throws IOException {
        String json = resource("tinyllama-1.1b.json").replace("\"hidden_act\"", "\"attention_bias\": true, \"hidden_act\"");
        LlamaConfig c = LlamaConfig.parse("biased", json);
        List<LinearModuleSpec> m = c.linearModules(0);
        for (int i = 0; i < 4; i++) {
            assertTrue(m.get(i).bias(), m.get(i).name());
        }
        assertFalse(m.get(4).bias());
        long extra = 22L * (2048 + 256 + 256 + 2048);
        assertEquals(1_100_048_384L + extra, c.parameterCount());
    }

    @Test
    void defaultsApplyWhenOptionalFieldsAreAbsent() throws IOException {
        LlamaConfig c = LlamaConfig.parse("minimal", "{\"model_type\":\"llama\",\"vocab_size\":259,"
                + "\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":4}");
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(16, c.headDim());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertFalse(c.tieWordEmbeddings());
        assertNull(c.ropeScaling());
        assertNull(c.torchDtype());
        assertEquals(c, LlamaConfig.parse("round trip", c.toJson()));
    }

    @Test
    void newerRopeParametersObjectIsRead() throws IOException {
        String json = "{\"model_type\":\"llama\",\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"rope_parameters\":{\"rope_type\":\"llama3\","
                + "\"rope_theta\":500000.0,\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":8192}}";
        LlamaConfig c = LlamaConfig.parse("v5", json);
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(new RopeScaling(8.0, 1.0, 4.0, 8192), c.ropeScaling());
        String defaults = json.replace("\"llama3\"", "\"default\"");
        assertNull(LlamaConfig.parse("v5 default", defaults).ropeScaling());
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, resource("llama-3.2-1b.json"));
        assertEquals(config("llama-3.2-1b.json"), LlamaConfig.load(f));
        Path saved = dir.resolve("saved/config.json");
        config("mistral-7b.json").save(saved);
        assertEquals(config("mistral-7b.json"), LlamaConfig.load(saved));
    }
}
