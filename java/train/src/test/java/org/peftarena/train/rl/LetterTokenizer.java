package org.peftarena.train.rl;

import java.util.OptionalInt;
import org.peftarena.formats.tokenizer.TextTokenizer;

/** A tokenizer over a handful of characters (tests only): pad 0, bos 1, eos 2, then the characters. */
final class LetterTokenizer implements TextTokenizer {
    static final String ALPHABET = "abcd0123=";

    @Override
    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            int k = ALPHABET.indexOf(text.charAt(i));
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
                b.append(ALPHABET.charAt(id - 3));
            }
        }
        return b.toString();
    }

    @Override
    public int vocabSize() {
        return 3 + ALPHABET.length();
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
