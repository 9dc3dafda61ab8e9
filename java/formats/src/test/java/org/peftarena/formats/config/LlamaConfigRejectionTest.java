package org.peftarena.formats.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Unsupported features give {@link UnsupportedModelException}, malformed values {@link ModelConfigException}. */
class LlamaConfigRejectionTest {

    private static final String BASE = "\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,"
            + "\"num_hidden_layers\":2,\"num_attention_heads\":4";

    private static String llama(String extra) {
        return "{\"model_type\":\"llama\"," + BASE + extra + "}";
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("{\"model_type\":\"gemma\"," + BASE + "}", "model_type \"gemma\" is not supported"),
                Arguments.of(llama(",\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0}"),
                        "rope_scaling type \"yarn\" is not supported"),
                Arguments.of(llama(",\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2.0}"),
                        "rope_scaling type \"linear\""),
                Arguments.of(llama(",\"rope_parameters\":{\"rope_type\":\"dynamic\",\"factor\":2.0}"),
                        "rope_parameters type \"dynamic\""),
                Arguments.of(llama(",\"hidden_act\":\"gelu\""), "hidden_act \"gelu\""),
                Arguments.of(llama(",\"attention_dropout\":0.1"), "attention_dropout 0.1"),
                Arguments.of(llama(",\"partial_rotary_factor\":0.5"), "partial_rotary_factor"),
                Arguments.of(llama(",\"quantization_config\":{\"quant_method\":\"gptq\"}"), "quantization_config"),
                Arguments.of("{\"model_type\":\"qwen2\"," + BASE + ",\"use_sliding_window\":true}",
                        "use_sliding_window true"),
                Arguments.of(llama(",\"layer_types\":[\"full_attention\",\"sliding_attention\"]"),
                        "layer_types entry \"sliding_attention\""));
    }

    @ParameterizedTest
    @MethodSource("unsupported")
    void unsupportedFeaturesAreNamed(String json, String expected) {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> LlamaConfig.parse("cfg.json", json));
        assertTrue(e.getMessage().startsWith("cfg.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("{not json", "not valid JSON"),
                Arguments.of("[1]", "not a JSON object"),
                Arguments.of("{" + BASE + "}", "\"model_type\" is missing"),
                Arguments.of("{\"model_type\":\"llama\",\"vocab_size\":100}", "\"hidden_size\" is missing"),
                Arguments.of(llama(",\"vocab_size\":-1").replace("\"vocab_size\":100,", ""),
                        "\"vocab_size\" must be a positive integer"),
                Arguments.of(llama(",\"num_key_value_heads\":3"), "not a multiple of num_key_value_heads 3"),
                Arguments.of("{\"model_type\":\"llama\",\"vocab_size\":100,\"hidden_size\":66,"
                        + "\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":4}",
                        "not divisible by num_attention_heads"),
                Arguments.of(llama(",\"rms_norm_eps\":0"), "\"rms_norm_eps\" must be a positive"),
                Arguments.of(llama(",\"rope_theta\":\"big\""), "\"rope_theta\" must be a positive"),
                Arguments.of(llama(",\"tie_word_embeddings\":\"yes\""), "must be true or false"),
                Arguments.of(llama(",\"eos_token_id\":[1,\"x\"]"), "\"eos_token_id\" must hold integers"),
                Arguments.of(llama(",\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0}"),
                        "\"low_freq_factor\" is missing"),
                Arguments.of(llama(",\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,"
                        + "\"low_freq_factor\":4.0,\"high_freq_factor\":1.0,\"original_max_position_embeddings\":8192}"),
                        "invalid llama3 rope_scaling"),
                Arguments.of(llama(",\"hidden_size\":64"), "not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedValuesAreNamed(String json, String expected) {
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> LlamaConfig.parse("cfg.json", json));
        assertTrue(!(e instanceof UnsupportedModelException), "malformed, not unsupported: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void recordRejectsInconsistentBiases() {
        assertThrows(IllegalArgumentException.class, () -> new LlamaConfig(ModelType.QWEN2, 10, 8, 16, 1, 2, 2, 4,
                1e-6, 1e4, null, false, false, false, false, 64, null, null, java.util.List.of(), null, null));
    }
}
