package org.peftarena.formats.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8LossyTest {

    private static String decode(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8Lossy.decode(b, b.length);
    }

    /** Cases from the Unicode standard's table of maximal subparts (U+FFFD substitution). */
    @ParameterizedTest
    @CsvSource({
        "'61 F1 80 80 E1 80 C2 62 80 63 80 BF 64', 'a\ufffd\ufffd\ufffdb\ufffdc\ufffd\ufffdd'",
        "'ED A0 80', '\ufffd\ufffd\ufffd'",
        "'E0 80 AF', '\ufffd\ufffd\ufffd'",
        "'F4 90 80 80', '\ufffd\ufffd\ufffd\ufffd'",
        "'C0 AF', '\ufffd\ufffd'",
        "'E2 82', '\ufffd'",
        "'F0 9F 98', '\ufffd'",
        "'E2 82 AC', '\u20ac'",
        "'F0 9F 98 80', '\ud83d\ude00'"})
    void maximalSubpartsBecomeOneReplacementEach(String hex, String expected) {
        String[] parts = hex.split(" ", 0);
        int[] bytes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = Integer.parseInt(parts[i], 16);
        }
        assertEquals(expected, decode(bytes));
    }

    @Test
    void validUtf8DecodesLikeTheJdk() {
        Random rnd = new Random(3);
        for (int t = 0; t < 1000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                int cp;
                do {
                    cp = rnd.nextInt(4) == 0 ? rnd.nextInt(0x110000) : rnd.nextInt(0x800);
                } while (cp >= 0xd800 && cp <= 0xdfff);
                sb.appendCodePoint(cp);
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            assertEquals(sb.toString(), Utf8Lossy.decode(b, b.length));
        }
    }
}
