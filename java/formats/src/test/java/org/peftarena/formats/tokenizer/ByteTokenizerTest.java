package org.peftarena.formats.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tok = new ByteTokenizer();

    @Test
    void asciiIsItsBytes() {
        assertArrayEquals(new int[] {72, 105, 33}, tok.encode("Hi!"));
        assertArrayEquals(new int[0], tok.encode(""));
    }

    @Test
    void nonAsciiIsUtf8() {
        assertArrayEquals(new int[] {0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80}, tok.encode("é€😀"));
        assertEquals("é€😀", tok.decode(tok.encode("é€😀")));
    }

    @Test
    void specialTokenStringsEncodeAsSpecialIds() {
        assertArrayEquals(new int[] {256, 'a', 257, 258, '<', '|'}, tok.encode("<|bos|>a<|eos|><|pad|><|"));
        assertEquals("a<|", tok.decode(tok.encode("<|bos|>a<|eos|><|pad|><|")));
    }

    @Test
    void decodeSkipsSpecialsAndReplacesInvalidUtf8() {
        assertEquals("ab", tok.decode(new int[] {ByteTokenizer.BOS, 'a', ByteTokenizer.PAD, 'b', ByteTokenizer.EOS}));
        assertEquals("€", tok.decode(new int[] {0xe2, ByteTokenizer.BOS, 0x82, 0xac}), "specials do not split a character");
        assertEquals("a\ufffdb", tok.decode(new int[] {'a', 0xff, 'b'}));
        assertEquals("a\ufffd", tok.decode(new int[] {'a', 0xe2, 0x82}), "truncated sequence");
    }

    @Test
    void outOfRangeIdsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {259}));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
    }

    @Test
    void everyByteRoundTripsThroughDecodeOfValidText() {
        String all = new String(new int[] {0, 9, 10, 32, 0x7f, 0x80, 0x7ff, 0x800, 0xffff - 2, 0x10000, 0x10ffff}, 0, 11);
        assertArrayEquals(toUnsigned(all.getBytes(StandardCharsets.UTF_8)), tok.encode(all));
        assertEquals(all, tok.decode(tok.encode(all)));
    }

    @Test
    void idsAndVocabulary() {
        assertEquals(259, tok.vocabSize());
        assertEquals(256, tok.bosId().getAsInt());
        assertEquals(257, tok.eosId().getAsInt());
        assertEquals(258, tok.padId().getAsInt());
    }

    static int[] toUnsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }
}
