package org.peftarena.formats.config;

import com.fasterxml.jackson.databind.JsonNode;

/** Rejects config.json fields whose non-default values change the model in ways the decoder does not implement. */
final class UnsupportedFeatures {

    private UnsupportedFeatures() {
    }

    static void check(JsonFields f, ModelType type) throws ModelConfigException {
        String act = f.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw unsupported(f, "hidden_act \"" + act + "\" (only silu, i.e. SwiGLU, is supported)");
        }
        if (f.number("attention_dropout", 0.0) != 0.0) {
            throw unsupported(f, "attention_dropout " + f.raw("attention_dropout") + " (only 0 is supported)");
        }
        if (f.number("partial_rotary_factor", 1.0) != 1.0) {
            throw unsupported(f, "partial_rotary_factor " + f.raw("partial_rotary_factor")
                    + " (only full rotary embeddings are supported)");
        }
        if (f.has("quantization_config")) {
            throw unsupported(f, "quantization_config (quantized checkpoints are not supported)");
        }
        if (type == ModelType.QWEN2 && f.bool("use_sliding_window", false)) {
            throw unsupported(f, "use_sliding_window true (qwen2 per-layer sliding windows are not supported)");
        }
        JsonNode layerTypes = f.raw("layer_types");
        if (layerTypes != null && layerTypes.isArray()) {
            for (JsonNode t : layerTypes) {
                if (!"full_attention".equals(t.asText())) {
                    throw unsupported(f, "layer_types entry \"" + t.asText()
                            + "\" (only full_attention layers are supported)");
                }
            }
        }
    }

    private static UnsupportedModelException unsupported(JsonFields f, String what) {
        return new UnsupportedModelException(f.source() + ": unsupported " + what);
    }
}
