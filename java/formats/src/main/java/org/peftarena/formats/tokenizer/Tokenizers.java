package org.peftarena.formats.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the tokenizer of a model directory, using the pure-Java {@link ByteTokenizer} when the file describes it. */
public final class Tokenizers {

    /** File name of a Hugging Face tokenizer. */
    public static final String TOKENIZER_JSON = "tokenizer.json";
    /** File name of the transformers tokenizer settings (special tokens). */
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";

    private static final Logger LOG = LoggerFactory.getLogger(Tokenizers.class);

    private Tokenizers() {
    }

    /**
     * @param modelDir directory with tokenizer.json (and optionally tokenizer_config.json, config.json)
     * @return a {@link ByteTokenizer} when tokenizer.json is exactly its export, otherwise an {@link HfTokenizer}
     * @throws TokenizerException when tokenizer.json is missing, malformed or rejected by the native library
     * @throws IOException when reading fails
     */
    public static TextTokenizer load(Path modelDir) throws IOException {
        TokenizerFiles files = TokenizerFiles.read(modelDir);
        if (ByteTokenizerJson.describesByteTokenizer(files.tokenizer())) {
            LOG.debug("{} is the byte tokenizer; using the Java implementation", files.tokenizerJson());
            ByteTokenizer t = new ByteTokenizer();
            checkFitsModel(files, t.vocabSize());
            return t;
        }
        int vocab = SpecialTokenIds.vocabSize(files.tokenizer());
        if (vocab <= 0) {
            throw new TokenizerException(files.tokenizerJson() + ": the vocabulary is empty (no model.vocab entries"
                    + " and no added_tokens)");
        }
        checkFitsModel(files, vocab);
        return loadHf(modelDir, files);
    }

    /** Token ids at or beyond the model's vocab_size would index past the embedding: refused at load time. */
    private static void checkFitsModel(TokenizerFiles files, int tokenizerVocab) throws TokenizerException {
        var modelVocab = files.modelConfig().path("vocab_size");
        if (modelVocab.isIntegralNumber() && tokenizerVocab > modelVocab.longValue()) {
            throw new TokenizerException(files.tokenizerJson() + ": the tokenizer has ids up to " + (tokenizerVocab - 1)
                    + " but config.json vocab_size is " + modelVocab.longValue()
                    + "; the model has no embedding for ids at or beyond it");
        }
    }

    /** A file the library loads may still fail on every text (a WordLevel model without its unk token): find out now. */
    private static void probe(HfTokenizer t, Path source) throws TokenizerException {
        try {
            int[] ids = t.encode("Hello, world! 123 \u00e4\u00df\u20ac");
            for (int id : ids) {
                if (id < 0 || id >= t.vocabSize()) {
                    throw new IllegalStateException("it produced token id " + id + " outside its vocabulary of " + t.vocabSize());
                }
            }
        } catch (RuntimeException e) {
            t.close();
            throw new TokenizerException(source + ": the tokenizer cannot encode text: " + e.getMessage(), e);
        }
    }

    static HfTokenizer loadHf(Path modelDir, TokenizerFiles files) throws IOException {
        var tokenizer = HfTokenizer.openNative(files.tokenizerJson());
        var t = new HfTokenizer(tokenizer, files.tokenizerJson().toString(),
                SpecialTokenIds.vocabSize(files.tokenizer()),
                SpecialTokenIds.resolve(files.tokenizer(), files.tokenizerConfig(), files.modelConfig(), "bos"),
                SpecialTokenIds.resolve(files.tokenizer(), files.tokenizerConfig(), files.modelConfig(), "eos"),
                SpecialTokenIds.resolve(files.tokenizer(), files.tokenizerConfig(), files.modelConfig(), "pad"));
        probe(t, files.tokenizerJson());
        LOG.debug("loaded {} from {}", t, modelDir);
        return t;
    }
}
