package org.peftarena.formats.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * Resolves a Hugging Face tokenizer's vocabulary size and its BOS/EOS/PAD ids from tokenizer.json,
 * tokenizer_config.json (token strings) and config.json (ids), in that order of preference.
 */
final class SpecialTokenIds {

    private SpecialTokenIds() {
    }

    /**
     * @param tokenizer parsed tokenizer.json
     * @return one more than the largest id of the model vocabulary and the added tokens
     */
    static int vocabSize(JsonNode tokenizer) {
        int size = 0;
        JsonNode vocab = tokenizer.path("model").path("vocab");
        if (vocab.isObject()) {
            for (JsonNode id : vocab) {
                size = Math.max(size, id.asInt() + 1);
            }
        } else if (vocab.isArray()) {
            size = vocab.size();
        }
        for (JsonNode t : tokenizer.path("added_tokens")) {
            size = Math.max(size, t.path("id").asInt() + 1);
        }
        return size;
    }

    /**
     * @param tokenizer parsed tokenizer.json
     * @param tokenizerConfig parsed tokenizer_config.json, or a missing node
     * @param modelConfig parsed config.json, or a missing node
     * @param role "bos", "eos" or "pad"
     * @return the id, when one can be resolved
     */
    static OptionalInt resolve(JsonNode tokenizer, JsonNode tokenizerConfig, JsonNode modelConfig, String role) {
        JsonNode token = tokenizerConfig.path(role + "_token");
        String content = token.isTextual() ? token.textValue() : token.path("content").isTextual()
                ? token.path("content").textValue() : null;
        if (content != null) {
            OptionalInt id = idOf(tokenizer, content);
            if (id.isPresent()) {
                return id;
            }
        }
        JsonNode fromConfig = modelConfig.path(role + "_token_id");
        if (fromConfig.isArray() && fromConfig.size() > 0) {
            fromConfig = fromConfig.get(0);
        }
        return fromConfig.isIntegralNumber() ? OptionalInt.of(fromConfig.intValue()) : OptionalInt.empty();
    }

    private static OptionalInt idOf(JsonNode tokenizer, String content) {
        for (JsonNode t : tokenizer.path("added_tokens")) {
            if (content.equals(t.path("content").asText(null))) {
                return OptionalInt.of(t.path("id").asInt());
            }
        }
        JsonNode vocab = tokenizer.path("model").path("vocab");
        if (vocab.isObject() && vocab.has(content)) {
            return OptionalInt.of(vocab.get(content).asInt());
        }
        if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                if (content.equals(vocab.get(i).path(0).asText(null))) {
                    return OptionalInt.of(i);
                }
            }
        }
        return OptionalInt.empty();
    }
}
