package org.peftarena.formats.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlamaConfigQwenTest {

    static LlamaConfig qwen() throws IOException {
        try (InputStream in = LlamaConfigQwenTest.class.getResourceAsStream("/model-configs/qwen2.5-7b.json")) {
            return LlamaConfig.parse("qwen2.5-7b.json", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsQwenFixture() throws IOException {
        LlamaConfig c = qwen();
        assertEquals(ModelType.QWEN2, c.modelType());
        assertEquals(152064, c.vocabSize());
        assertEquals(3584, c.hiddenSize());
        assertEquals(18944, c.intermediateSize());
        assertEquals(28, c.numHiddenLayers());
        assertEquals(28, c.numAttentionHeads());
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(128, c.headDim());
        assertEquals(7, c.groupSize());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(1_000_000.0, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertFalse(c.mlpBias());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(131072, c.maxPositionEmbeddings());
        assertEquals("bfloat16", c.torchDtype());
        assertTrue(c.attentionWindow().isEmpty());
    }

    @Test
    void qwenParameterCountIsExact() throws IOException {
        assertEquals(7_615_616_512L, qwen().parameterCount());
    }

    @Test
    void qwenLinearModulesHaveHfNamesAndShapes() throws IOException {
        LlamaConfig c = qwen();
        List<LinearModuleSpec> l3 = c.linearModules(3);
        assertEquals(List.of(
                new LinearModuleSpec("model.layers.3.self_attn.q_proj", 3584, 3584, true),
                new LinearModuleSpec("model.layers.3.self_attn.k_proj", 512, 3584, true),
                new LinearModuleSpec("model.layers.3.self_attn.v_proj", 512, 3584, true),
                new LinearModuleSpec("model.layers.3.self_attn.o_proj", 3584, 3584, false),
                new LinearModuleSpec("model.layers.3.mlp.gate_proj", 18944, 3584, false),
                new LinearModuleSpec("model.layers.3.mlp.up_proj", 18944, 3584, false),
                new LinearModuleSpec("model.layers.3.mlp.down_proj", 3584, 18944, false)), l3);
        assertEquals(28 * 7, c.linearModules().size());
        assertEquals("q_proj", l3.get(0).shortName());
    }

    /** The reference budgets of the spec follow from the module shapes alone. */
    @Test
    void moduleShapesReproduceSpecBudgets() throws IOException {
        LlamaConfig c = qwen();
        long sumIn = 0;
        long sumOut = 0;
        for (LinearModuleSpec m : c.linearModules(0)) {
            sumIn += m.in();
            sumOut += m.out();
        }
        int layers = c.numHiddenLayers();
        assertEquals(20_185_088L, (long) layers * 8 * (sumIn + sumOut), "LoRA r8");
        assertEquals(8_494_080L, layers * sumIn * 15 / 2, "OFT b16");
        assertEquals(11_124_736L, (long) layers * 8 * sumOut, "MiSS r8");
    }

    /** The fields a released Qwen2.5 instruct config.json carries beyond the fixture. */
    @Test
    void acceptsTheFullReleasedQwenConfig() throws IOException {
        String full = """
                {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
                 "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 3584, "initializer_range": 0.02,
                 "intermediate_size": 18944, "max_position_embeddings": 32768, "max_window_layers": 28,
                 "model_type": "qwen2", "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4,
                 "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000.0, "sliding_window": 131072,
                 "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.43.1",
                 "use_cache": true, "use_sliding_window": false, "vocab_size": 152064}
                """;
        LlamaConfig c = LlamaConfig.parse("qwen2.5-7b-instruct", full);
        assertEquals(7_615_616_512L, c.parameterCount());
        assertEquals(131072, c.slidingWindow());
        assertTrue(c.attentionWindow().isEmpty(), "qwen2 with use_sliding_window false attends fully");
        assertEquals(151643, c.bosTokenId());
        assertEquals(List.of(151645), c.eosTokenIds());
        assertEquals(c, LlamaConfig.parse("round trip", c.toJson()));
    }

    @Test
    void toJsonRoundTrips() throws IOException {
        LlamaConfig c = qwen();
        assertEquals(c, LlamaConfig.parse("round-trip", c.toJson()));
    }
}
