package org.peftarena.formats.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parsed tokenizer files of a model directory.
 *
 * @param tokenizerJson path of tokenizer.json
 * @param tokenizer its parsed content
 * @param tokenizerConfig parsed tokenizer_config.json, or a missing node
 * @param modelConfig parsed config.json, or a missing node
 */
record TokenizerFiles(Path tokenizerJson, JsonNode tokenizer, JsonNode tokenizerConfig, JsonNode modelConfig) {

    static TokenizerFiles read(Path modelDir) throws IOException {
        Path tj = modelDir.resolve(Tokenizers.TOKENIZER_JSON);
        if (!Files.isRegularFile(tj)) {
            throw new TokenizerException(modelDir + ": no " + Tokenizers.TOKENIZER_JSON);
        }
        JsonNode tokenizer = parse(tj);
        if (!tokenizer.isObject() || !tokenizer.path("model").isObject()) {
            throw new TokenizerException(tj + ": not a tokenizer.json (no \"model\" object)");
        }
        return new TokenizerFiles(tj, tokenizer, optional(modelDir.resolve(Tokenizers.TOKENIZER_CONFIG_JSON)),
                optional(modelDir.resolve("config.json")));
    }

    private static JsonNode optional(Path p) throws IOException {
        return Files.isRegularFile(p) ? parse(p) : MissingNode.getInstance();
    }

    private static JsonNode parse(Path p) throws IOException {
        try {
            JsonNode n = ByteTokenizerJson.JSON.readTree(p.toFile());
            return n == null ? MissingNode.getInstance() : n;
        } catch (JacksonException e) {
            throw new TokenizerException(p + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
