package org.peftarena.formats.tokenizer;

/**
 * The byte-to-character table of byte-level BPE tokenizers (GPT-2's {@code bytes_to_unicode}): every
 * byte maps to one printable character, so 256 single-character tokens cover all byte strings.
 */
final class ByteLevelAlphabet {

    private static final char[] CHAR_OF_BYTE = build();

    private ByteLevelAlphabet() {
    }

    private static char[] build() {
        char[] table = new char[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char) b : (char) (256 + extra++);
        }
        return table;
    }

    /**
     * @param b byte value in [0, 255]
     * @return the character standing for it
     */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b];
    }
}
