package org.peftarena.formats.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tokenizer must fit the model it is loaded for, and must have a vocabulary at all. */
class TokenizerVocabularyTest {
    @TempDir
    Path dir;

    @Test
    void idsBeyondTheModelsVocabularyAreRefusedAtLoadTime() throws Exception {
        new ByteTokenizer().exportTo(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"vocab_size\": 200}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("vocab_size is 200"), e.getMessage());
    }

    @Test
    void aTokenizerThatFitsLoads() throws Exception {
        new ByteTokenizer().exportTo(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"vocab_size\": 259}");
        try (TextTokenizer t = Tokenizers.load(dir)) {
            assertTrue(t.vocabSize() <= 259);
        }
    }

    @Test
    void anEmptyVocabularyIsAnError() throws Exception {
        Files.writeString(dir.resolve(Tokenizers.TOKENIZER_JSON), """
                {"version": "1.0", "added_tokens": [], "model": {"type": "BPE", "vocab": {}, "merges": []}}""");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
