package org.peftarena.formats.tokenizer;

import java.util.OptionalInt;

/**
 * Text to token ids and back. {@link #encode} never adds special tokens on its own: callers add
 * {@link #bosId()} / {@link #eosId()} where their data format needs them.
 */
public interface TextTokenizer extends AutoCloseable {

    /**
     * @param text any string
     * @return token ids in [0, vocabSize)
     */
    int[] encode(String text);

    /**
     * Decodes ids, skipping special tokens; invalid UTF-8 becomes U+FFFD instead of failing.
     *
     * @param ids token ids in [0, vocabSize)
     * @return the text
     */
    String decode(int[] ids);

    /** @return number of ids, special tokens included */
    int vocabSize();

    /** @return the beginning-of-sequence id, if the tokenizer has one */
    OptionalInt bosId();

    /** @return the end-of-sequence id, if the tokenizer has one */
    OptionalInt eosId();

    /** @return the padding id, if the tokenizer has one */
    OptionalInt padId();

    /** Releases native resources, if any. */
    @Override
    default void close() {
    }
}
