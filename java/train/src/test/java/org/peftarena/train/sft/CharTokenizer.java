package org.peftarena.train.sft;

import java.util.OptionalInt;
import org.peftarena.formats.tokenizer.TextTokenizer;

/** A character tokenizer over a small alphabet (tests only): pad 0, bos 1, eos 2, then the characters. */
public final class CharTokenizer implements TextTokenizer {
    /** The default alphabet of the SFT tests. */
    static final String DEFAULT_ALPHABET = "abcdefghij0123456789=+ ";

    private final String alphabet;

    /** Over the SFT tests' alphabet. */
    CharTokenizer() {
        this(DEFAULT_ALPHABET);
    }

    /** Over the given characters (ids 3, 4, ... in order). */
    public CharTokenizer(String alphabet) {
        this.alphabet = alphabet;
    }

    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            int k = alphabet.indexOf(text.charAt(i));
            if (k < 0) {
                throw new IllegalArgumentException("character outside the test alphabet: " + text.charAt(i));
            }
            ids[i] = 3 + k;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            if (id >= 3) {
                b.append(alphabet.charAt(id - 3));
            }
        }
        return b.toString();
    }

    @Override
    public int vocabSize() {
        return 3 + alphabet.length();
    }

    @Override
    public OptionalInt bosId() {
        return OptionalInt.of(1);
    }

    @Override
    public OptionalInt eosId() {
        return OptionalInt.of(2);
    }

    @Override
    public OptionalInt padId() {
        return OptionalInt.of(0);
    }
}
