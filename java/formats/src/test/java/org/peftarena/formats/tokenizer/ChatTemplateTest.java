package org.peftarena.formats.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the chat templates of common model families and compares with what Python's Jinja2
 * (trim_blocks, lstrip_blocks, as transformers' apply_chat_template) gave for the same messages,
 * recorded in {@code chat-templates/fixtures.json}.
 */
class ChatTemplateTest {
    static final List<Map<String, String>> CONVERSATION = List.of(
            Map.of("role", "user", "content", "Thank you."),
            Map.of("role", "assistant", "content", "Danke."));

    static Stream<Arguments> fixtures() throws Exception {
        JsonNode all;
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/fixtures.json")) {
            all = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        all.fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(), e.getValue().get("template").asText(),
                e.getValue().get("prompt").asText(), e.getValue().get("full").asText())));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void rendersAsJinja2Does(String family, String template, String prompt, String full) {
        ChatTemplate t = ChatTemplate.parse(template);
        assertEquals(prompt, t.render(CONVERSATION.subList(0, 1), true, "<s>", "</s>"), family);
        assertEquals(full, t.render(CONVERSATION, false, "<s>", "</s>"), family);
    }

    @Test
    void raiseExceptionReachesTheCaller() {
        ChatTemplate t = ChatTemplate.parse("{% if messages[0]['role'] == 'system' %}"
                + "{{ raise_exception('System role not supported') }}{% endif %}ok");
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(Map.of("role", "system", "content", "x")), false, "", ""));
        assertTrue(e.getMessage().contains("System role not supported"), e.getMessage());
        assertEquals("ok", t.render(CONVERSATION, false, "", ""));
    }

    @Test
    void unsupportedJinjaIsRefusedWhenParsed() {
        for (String bad : List.of("{% macro m() %}x{% endmacro %}", "{% set ns = namespace(x=1) %}",
                "{{ messages | map(attribute='role') }}", "{% for m in messages %}", "{{ tools[0]")) {
            assertThrows(ChatTemplateException.class, () -> ChatTemplate.parse(bad), bad);
        }
    }

    @Test
    void modelDirectoryTemplateComesFromTokenizerConfigOrJinjaFile(@TempDir Path dir) throws Exception {
        assertTrue(ModelChatTemplate.find(dir).isEmpty());
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>"}, "eos_token": "</s>",
                 "chat_template": "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}"}""");
        ModelChatTemplate t = ModelChatTemplate.find(dir).orElseThrow();
        assertEquals("<s>[user]Thank you.[assistant]Danke.", t.render(CONVERSATION, false));
        Files.writeString(dir.resolve(ModelChatTemplate.JINJA_FILE), "{% for m in messages %}{{ m.content }}|{% endfor %}");
        assertEquals("Thank you.|Danke.|", ModelChatTemplate.find(dir).orElseThrow().render(CONVERSATION, false));
        Files.writeString(dir.resolve(ModelChatTemplate.JINJA_FILE), "{% macro x() %}{% endmacro %}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ModelChatTemplate.find(dir));
        assertTrue(e.getMessage().contains("cannot render this chat template") && e.getMessage().contains("macro"),
                e.getMessage());
    }
}
