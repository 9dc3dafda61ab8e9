package org.peftarena.formats.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersLoadTest {

    @TempDir
    Path dir;

    private static final String WORD_LEVEL = """
            {"version":"1.0","truncation":null,"padding":null,
             "added_tokens":[
               {"id":3,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
               {"id":4,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
             "normalizer":{"type":"Lowercase"},
             "pre_tokenizer":{"type":"Whitespace"},
             "post_processor":null,"decoder":null,
             "model":{"type":"WordLevel","vocab":{"[UNK]":0,"hello":1,"world":2,"<s>":3,"</s>":4},"unk_token":"[UNK]"}}
            """;

    @Test
    void exportedByteTokenizerLoadsAsTheJavaImplementation() throws IOException {
        new ByteTokenizer().exportTo(dir);
        try (TextTokenizer t = Tokenizers.load(dir)) {
            assertInstanceOf(ByteTokenizer.class, t);
        }
    }

    @Test
    void anEditedByteTokenizerFileGoesToTheNativeLibrary() throws IOException {
        new ByteTokenizer().exportTo(dir);
        Path tj = dir.resolve(Tokenizers.TOKENIZER_JSON);
        Files.writeString(tj, Files.readString(tj).replace("\"normalizer\" : null",
                "\"normalizer\" : {\"type\":\"Lowercase\"}"));
        try (TextTokenizer t = Tokenizers.load(dir)) {
            assertInstanceOf(HfTokenizer.class, t);
            assertArrayEquals(new ByteTokenizer().encode("abc"), t.encode("ABC"), "the edit takes effect");
            assertEquals(OptionalInt.of(ByteTokenizer.BOS), t.bosId());
        }
    }

    @Test
    void otherTokenizersUseTheNativeLibraryWithSpecialIdsFromTheConfigs() throws IOException {
        Files.writeString(dir.resolve(Tokenizers.TOKENIZER_JSON), WORD_LEVEL);
        Files.writeString(dir.resolve(Tokenizers.TOKENIZER_CONFIG_JSON),
                "{\"bos_token\":{\"content\":\"<s>\",\"special\":true},\"eos_token\":\"</s>\"}");
        Files.writeString(dir.resolve("config.json"), "{\"pad_token_id\":0,\"eos_token_id\":[4,9]}");
        try (TextTokenizer t = Tokenizers.load(dir)) {
            assertInstanceOf(HfTokenizer.class, t);
            assertArrayEquals(new int[] {1, 2, 0}, t.encode("Hello WORLD foo"));
            assertArrayEquals(new int[] {3, 1, 4}, t.encode("<s>hello</s>"));
            assertEquals(5, t.vocabSize());
            assertEquals(OptionalInt.of(3), t.bosId());
            assertEquals(OptionalInt.of(4), t.eosId());
            assertEquals(OptionalInt.of(0), t.padId());
            assertTrue(t.decode(new int[] {3, 1, 2, 4}).contains("hello"));
            assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {5}));
        }
    }

    @Test
    void missingTokenizerIsATypedError() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("no tokenizer.json"), e.getMessage());
    }

    @Test
    void malformedJsonIsATypedError() throws IOException {
        Files.writeString(dir.resolve(Tokenizers.TOKENIZER_JSON), "{\"model\": ");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.load(dir)).getMessage()
                .contains("not valid JSON"));
        Files.writeString(dir.resolve(Tokenizers.TOKENIZER_JSON), "[]");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.load(dir)).getMessage()
                .contains("no \"model\" object"));
    }

    @Test
    void aFileTheNativeLibraryRejectsIsATypedError() throws IOException {
        Files.writeString(dir.resolve(Tokenizers.TOKENIZER_JSON), "{\"model\":{\"type\":\"NoSuchModel\",\"vocab\":{\"a\":0}}}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains("cannot load"), e.getMessage());
    }
}
