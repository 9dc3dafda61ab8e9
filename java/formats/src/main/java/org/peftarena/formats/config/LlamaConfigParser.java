package org.peftarena.formats.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Turns config.json bytes into a {@link LlamaConfig}, applying Hugging Face's per-type defaults. */
final class LlamaConfigParser {

    // as strict as transformers' json.load: no duplicate keys, nothing after the object
    static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static final double DEFAULT_ROPE_THETA = 10000.0;
    private static final double DEFAULT_RMS_NORM_EPS = 1e-6;
    private static final int MISTRAL_DEFAULT_WINDOW = 4096;

    private LlamaConfigParser() {
    }

    static LlamaConfig parse(String source, byte[] bytes) throws ModelConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new ModelConfigException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelConfigException(source + ": cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(source + ": not a JSON object");
        }
        JsonFields f = new JsonFields(source, root);
        String typeName = f.string("model_type", null);
        if (typeName == null) {
            throw f.error("model_type", "is missing");
        }
        ModelType type = ModelType.fromHfName(typeName).orElseThrow(() -> new UnsupportedModelException(source
                + ": model_type \"" + typeName + "\" is not supported (supported: llama, qwen2, mistral)"));
        UnsupportedFeatures.check(f, type);

        int hidden = f.requiredPositiveInt("hidden_size");
        int heads = f.requiredPositiveInt("num_attention_heads");
        int headDim;
        if (f.has("head_dim")) {
            headDim = f.positiveInt("head_dim", 0);
        } else if (hidden % heads != 0) {
            throw f.error("hidden_size", hidden + " is not divisible by num_attention_heads " + heads
                    + " and no head_dim is given");
        } else {
            headDim = hidden / heads;
        }
        boolean qkvBias;
        boolean outputBias;
        boolean mlpBias;
        switch (type) {
            case QWEN2 -> {
                qkvBias = true;
                outputBias = false;
                mlpBias = false;
            }
            case MISTRAL -> {
                qkvBias = false;
                outputBias = false;
                mlpBias = false;
            }
            default -> {
                qkvBias = f.bool("attention_bias", false);
                outputBias = qkvBias;
                mlpBias = f.bool("mlp_bias", false);
            }
        }
        RopeSettings rope = RopeSettings.parse(f);
        try {
            return new LlamaConfig(type,
                    f.requiredPositiveInt("vocab_size"),
                    hidden,
                    f.requiredPositiveInt("intermediate_size"),
                    f.requiredPositiveInt("num_hidden_layers"),
                    heads,
                    f.positiveInt("num_key_value_heads", heads),
                    headDim,
                    f.positiveDouble("rms_norm_eps", DEFAULT_RMS_NORM_EPS),
                    rope.theta(DEFAULT_ROPE_THETA),
                    rope.scaling(),
                    qkvBias, outputBias, mlpBias,
                    f.bool("tie_word_embeddings", false),
                    f.positiveInt("max_position_embeddings", type.defaultMaxPositions()),
                    f.has("torch_dtype") ? f.string("torch_dtype", null) : f.string("dtype", null),
                    f.optionalInt("bos_token_id"),
                    tokenIds(f, "eos_token_id"),
                    f.optionalInt("pad_token_id"),
                    slidingWindow(f, type));
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<Integer> tokenIds(JsonFields f, String field) throws ModelConfigException {
        JsonNode v = f.raw(field);
        List<Integer> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw f.error(field, "must hold integers, got " + v);
                }
                out.add(e.intValue());
            }
            return out;
        }
        out.add(f.optionalInt(field));
        return out;
    }

    private static Integer slidingWindow(JsonFields f, ModelType type) throws ModelConfigException {
        JsonNode raw = f.raw("sliding_window");
        if (type == ModelType.MISTRAL && raw == null) {
            return MISTRAL_DEFAULT_WINDOW;
        }
        if (type == ModelType.LLAMA || !f.has("sliding_window")) {
            return null;
        }
        return f.positiveInt("sliding_window", 0);
    }
}
