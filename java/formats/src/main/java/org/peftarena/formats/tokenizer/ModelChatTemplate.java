package org.peftarena.formats.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model directory's chat template with the special tokens it refers to: {@code chat_template.jinja}
 * if present, else the {@code chat_template} of {@code tokenizer_config.json} (a string, or a list
 * of named templates of which the one named {@code default} is taken).
 *
 * @param template the parsed template
 * @param bosToken {@code bos_token} of {@code tokenizer_config.json}, or empty
 * @param eosToken {@code eos_token} of {@code tokenizer_config.json}, or empty
 * @param source   the file the template came from
 */
public record ModelChatTemplate(ChatTemplate template, String bosToken, String eosToken, Path source) {
    /** The file newer {@code transformers} versions write the template to. */
    public static final String JINJA_FILE = "chat_template.jinja";

    /**
     * @return the model's template, or empty when it has none
     * @throws TokenizerException when a file is not valid JSON or the template uses unsupported Jinja
     */
    public static Optional<ModelChatTemplate> find(Path modelDir) throws IOException {
        Path configFile = modelDir.resolve(Tokenizers.TOKENIZER_CONFIG_JSON);
        JsonNode config = null;
        if (Files.isRegularFile(configFile)) {
            try {
                config = ByteTokenizerJson.JSON.readTree(configFile.toFile());
            } catch (JacksonException e) {
                throw new TokenizerException(configFile + ": not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        String text = null;
        Path source = modelDir.resolve(JINJA_FILE);
        if (Files.isRegularFile(source)) {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } else if (config != null) {
            source = configFile;
            JsonNode t = config.path("chat_template");
            if (t.isTextual()) {
                text = t.asText();
            } else if (t.isArray()) {
                for (JsonNode named : t) {
                    if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                        text = named.path("template").asText();
                    }
                }
            }
        }
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ModelChatTemplate(ChatTemplate.parse(text), special(config, "bos_token"),
                    special(config, "eos_token"), source));
        } catch (ChatTemplateException e) {
            throw new TokenizerException(source + ": cannot render this chat template: " + e.getMessage(), e);
        }
    }

    private static String special(JsonNode config, String key) {
        if (config == null) {
            return "";
        }
        JsonNode v = config.path(key);
        return v.isTextual() ? v.asText() : v.path("content").isTextual() ? v.path("content").asText() : "";
    }

    /** Renders one conversation with this directory's special tokens. */
    public String render(List<Map<String, String>> messages, boolean addGenerationPrompt) {
        return template.render(messages, addGenerationPrompt, bosToken, eosToken);
    }
}
