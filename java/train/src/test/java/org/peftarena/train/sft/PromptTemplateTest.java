package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplateTest {
    static final SftExample THANKS = new SftExample("Thank you.", "Danke.");
    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\\\n' + "
            + "message['content'] + '<|im_end|>' + '\\\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\\\n' }}{% endif %}";

    @Test
    void noneJoinsAsTheyAre() {
        assertSame(THANKS, PromptTemplate.none().apply(THANKS));
    }

    @Test
    void defaultSeparatesPromptAndResponse(@TempDir Path model) throws Exception {
        PromptTemplate t = PromptTemplate.forModel(model, PromptTemplate.Kind.AUTO);
        assertEquals(PromptTemplate.Kind.DEFAULT, t.kind());
        SftExample e = t.apply(THANKS);
        assertEquals("### Instruction:\nThank you.\n\n### Response:\n", e.prompt());
        assertEquals("Danke.", e.response());
        SftExample text = new SftExample("", "plain text");
        assertSame(text, t.apply(text));
    }

    @Test
    void chatTemplateOfTheModelIsRendered(@TempDir Path model) throws Exception {
        Files.writeString(model.resolve("tokenizer_config.json"),
                "{\"eos_token\": \"<|endoftext|>\", \"chat_template\": \"" + CHATML + "\"}");
        PromptTemplate t = PromptTemplate.forModel(model, PromptTemplate.Kind.AUTO);
        assertEquals(PromptTemplate.Kind.CHAT, t.kind());
        assertTrue(t.describe().contains("tokenizer_config.json"), t.describe());
        SftExample e = t.apply(THANKS);
        assertEquals("<|im_start|>user\nThank you.<|im_end|>\n<|im_start|>assistant\n", e.prompt());
        assertEquals("Danke.<|im_end|>\n", e.response());
        assertEquals(PromptTemplate.Kind.DEFAULT, PromptTemplate.forModel(model, PromptTemplate.Kind.DEFAULT).kind());
    }

    @Test
    void bosAndEosTextAreLeftToTheTokenIds(@TempDir Path model) throws Exception {
        Files.writeString(model.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", "
                + "\"chat_template\": \"{% for m in messages %}{% if m.role == 'user' %}{{ bos_token + '[INST] ' + "
                + "m.content + ' [/INST]' }}{% else %}{{ ' ' + m.content + ' ' + eos_token }}{% endif %}{% endfor %}\"}");
        SftExample e = PromptTemplate.forModel(model, PromptTemplate.Kind.CHAT).apply(THANKS);
        assertEquals("[INST] Thank you. [/INST]", e.prompt());
        assertEquals(" Danke. ", e.response());
    }

    @Test
    void chatWithoutATemplateOrAnUnknownChoiceIsAClearError(@TempDir Path model) {
        SftDataException e = assertThrows(SftDataException.class,
                () -> PromptTemplate.forModel(model, PromptTemplate.Kind.CHAT));
        assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        e = assertThrows(SftDataException.class, () -> PromptTemplate.Kind.parse("alpaca"));
        assertTrue(e.getMessage().contains("auto, chat, default, none"), e.getMessage());
    }
}
