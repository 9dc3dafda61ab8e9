package org.peftarena.formats.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * UTF-8 byte tokenizer: byte b is id b (0..255), then BOS 256, EOS 257, PAD 258. Its
 * {@link #exportTo exported} tokenizer.json is an ordinary Hugging Face byte-level BPE without
 * merges that gives the same ids, so models trained with it load anywhere. As in Hugging Face
 * tokenizers, the literal special-token strings in text encode as the special ids.
 */
public final class ByteTokenizer implements TextTokenizer {

    /** Beginning-of-sequence id. */
    public static final int BOS = 256;
    /** End-of-sequence id. */
    public static final int EOS = 257;
    /** Padding id. */
    public static final int PAD = 258;
    /** Number of ids. */
    public static final int VOCAB_SIZE = 259;
    /** Text of the BOS token. */
    public static final String BOS_TOKEN = "<|bos|>";
    /** Text of the EOS token. */
    public static final String EOS_TOKEN = "<|eos|>";
    /** Text of the PAD token. */
    public static final String PAD_TOKEN = "<|pad|>";

    /** Special token texts in id order, starting at {@link #BOS}. */
    static final List<String> SPECIAL_TOKENS = List.of(BOS_TOKEN, EOS_TOKEN, PAD_TOKEN);

    /**
     * Encodes UTF-8 bytes (unpaired surrogates become '?') and special-token strings.
     *
     * @param text any string
     * @return ids in [0, 259)
     */
    @Override
    public int[] encode(String text) {
        IntArrayBuilder out = new IntArrayBuilder(text.length() + 8);
        int start = 0;
        while (start < text.length()) {
            int at = text.length();
            int special = -1;
            if (text.indexOf('<', start) >= 0) {
                for (int s = 0; s < SPECIAL_TOKENS.size(); s++) {
                    int i = text.indexOf(SPECIAL_TOKENS.get(s), start);
                    if (i >= 0 && i < at) {
                        at = i;
                        special = s;
                    }
                }
            }
            for (byte b : text.substring(start, at).getBytes(StandardCharsets.UTF_8)) {
                out.add(b & 0xff);
            }
            if (special < 0) {
                break;
            }
            out.add(BOS + special);
            start = at + SPECIAL_TOKENS.get(special).length();
        }
        return out.toArray();
    }

    /**
     * @param ids ids in [0, 259); specials are skipped, invalid UTF-8 becomes U+FFFD
     * @return the text
     * @throws IllegalArgumentException on an id outside the vocabulary
     */
    @Override
    public String decode(int[] ids) {
        byte[] bytes = new byte[ids.length];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id >= 0 && id < BOS) {
                bytes[n++] = (byte) id;
            } else if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " is outside [0, "
                        + VOCAB_SIZE + ")");
            }
        }
        return Utf8Lossy.decode(bytes, n);
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public OptionalInt bosId() {
        return OptionalInt.of(BOS);
    }

    @Override
    public OptionalInt eosId() {
        return OptionalInt.of(EOS);
    }

    @Override
    public OptionalInt padId() {
        return OptionalInt.of(PAD);
    }

    /**
     * Writes tokenizer.json and tokenizer_config.json (atomically) describing this tokenizer.
     *
     * @param modelDir model directory
     * @throws IOException when writing fails
     */
    public void exportTo(Path modelDir) throws IOException {
        ByteTokenizerJson.export(modelDir);
    }

    @Override
    public String toString() {
        return "ByteTokenizer[vocab=" + VOCAB_SIZE + "]";
    }
}
