package org.peftarena.formats.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/** Any Hugging Face tokenizer.json, run by the native tokenizers library bundled in DJL's jar. */
public final class HfTokenizer implements TextTokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final String source;
    private final int vocabSize;
    private final OptionalInt bos;
    private final OptionalInt eos;
    private final OptionalInt pad;

    HfTokenizer(HuggingFaceTokenizer tokenizer, String source, int vocabSize, OptionalInt bos, OptionalInt eos,
                OptionalInt pad) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.vocabSize = vocabSize;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
    }

    /**
     * Loads tokenizer.json of a model directory; special ids come from tokenizer_config.json or config.json.
     *
     * @param modelDir directory with tokenizer.json
     * @return the tokenizer
     * @throws TokenizerException when the file is missing or the native library rejects it
     * @throws IOException when reading fails
     */
    public static HfTokenizer load(Path modelDir) throws IOException {
        return Tokenizers.loadHf(modelDir, TokenizerFiles.read(modelDir));
    }

    static HuggingFaceTokenizer openNative(Path tokenizerJson) throws TokenizerException {
        try {
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            throw new TokenizerException(tokenizerJson + ": the tokenizers library cannot load it: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i + " is outside [0, "
                        + vocabSize + ")");
            }
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, true);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public OptionalInt bosId() {
        return bos;
    }

    @Override
    public OptionalInt eosId() {
        return eos;
    }

    @Override
    public OptionalInt padId() {
        return pad;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + ", vocab=" + vocabSize + "]";
    }
}
