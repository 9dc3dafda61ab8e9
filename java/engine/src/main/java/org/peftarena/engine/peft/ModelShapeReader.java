package org.peftarena.engine.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the {@link ModelShape} of a Llama-family model from its Hugging Face {@code config.json}. */
public final class ModelShapeReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelShapeReader() {}

    /**
     * Reads {@code config.json} (or the {@code config.json} inside a model directory).
     *
     * @throws PeftException if the file is missing, not JSON, or lacks a required field
     */
    public static ModelShape read(Path configOrDir) {
        Path file = Files.isDirectory(configOrDir) ? configOrDir.resolve("config.json") : configOrDir;
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new PeftException("cannot read model config " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PeftException("model config " + file + " is not a JSON object");
        }
        long hidden = positive(root, "hidden_size", file);
        long intermediate = positive(root, "intermediate_size", file);
        int layers = (int) positive(root, "num_hidden_layers", file);
        long heads = positive(root, "num_attention_heads", file);
        long kvHeads = root.has("num_key_value_heads") ? positive(root, "num_key_value_heads", file) : heads;
        long headDim = root.hasNonNull("head_dim") ? positive(root, "head_dim", file) : hidden / heads;
        if (!root.hasNonNull("head_dim") && hidden % heads != 0) {
            throw new PeftException("model config " + file + ": hidden_size " + hidden + " not divisible by num_attention_heads " + heads);
        }
        String type = root.path("model_type").asText("");
        boolean qkvBias = root.has("attention_bias") ? root.get("attention_bias").asBoolean() : type.startsWith("qwen2");
        return new ModelShape(layers, hidden, ModelShape.llamaBlock(hidden, intermediate, heads, kvHeads, headDim, qkvBias));
    }

    private static long positive(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToLong() || n.asLong() <= 0) {
            throw new PeftException("model config " + file + ": field '" + field + "' must be a positive integer, got " + n);
        }
        return n.asLong();
    }
}
