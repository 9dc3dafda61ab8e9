package org.peftarena.formats.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported tokenizer.json, run by the Hugging Face tokenizers library, behaves exactly like ByteTokenizer. */
class ByteTokenizerHfParityTest {

    @TempDir
    static Path dir;

    static HfTokenizer hf;
    static final ByteTokenizer JAVA = new ByteTokenizer();

    @BeforeAll
    static void export() throws IOException {
        JAVA.exportTo(dir);
        hf = HfTokenizer.load(dir);
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    @Test
    void sameVocabularyAndSpecialIds() {
        assertEquals(JAVA.vocabSize(), hf.vocabSize());
        assertEquals(JAVA.bosId(), hf.bosId());
        assertEquals(JAVA.eosId(), hf.eosId());
        assertEquals(JAVA.padId(), hf.padId());
    }

    @Test
    void sameIdsOnFixedTexts() {
        for (String text : List.of("", "Hello, world!", "  leading and trailing  ", "tabs\tand\nnewlines\r\n",
                "déjà vu – naïve café", "数学是科学的语言", "emoji 😀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u0000\u0001\u007f",
                "<|bos|>start<|eos|> mid <|pad|>", "<|bo", "don't split 's 're ' ll", "x".repeat(5000))) {
            assertArrayEquals(JAVA.encode(text), hf.encode(text), text);
            assertEquals(JAVA.decode(JAVA.encode(text)), hf.decode(hf.encode(text)), text);
        }
    }

    @Test
    void sameIdsOnRandomText() {
        Random rnd = new Random(5);
        int[] ranges = {0x20, 0x7f, 0x80, 0x800, 0x800, 0xd000, 0x10000, 0x10ffff};
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int i = 0; i < len; i++) {
                int r = rnd.nextInt(ranges.length / 2) * 2;
                sb.appendCodePoint(ranges[r] + rnd.nextInt(ranges[r + 1] - ranges[r]));
            }
            String text = sb.toString();
            assertArrayEquals(JAVA.encode(text), hf.encode(text), text);
        }
    }

    @Test
    void sameDecodingOfArbitraryIdSequencesIncludingInvalidUtf8() {
        Random rnd = new Random(6);
        for (int trial = 0; trial < 500; trial++) {
            int[] ids = new int[rnd.nextInt(12)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rnd.nextInt(4) == 0 ? 0x80 + rnd.nextInt(0x80) : rnd.nextInt(ByteTokenizer.VOCAB_SIZE);
            }
            assertEquals(JAVA.decode(ids), hf.decode(ids), java.util.Arrays.toString(ids));
        }
    }
}
