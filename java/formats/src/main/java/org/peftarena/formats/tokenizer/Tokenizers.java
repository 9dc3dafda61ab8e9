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
            return new ByteTokenizer();
        }
        return loadHf(modelDir, files);
    }

    static HfTokenizer loadHf(Path modelDir, TokenizerFiles files) throws IOException {
        var tokenizer = HfTokenizer.openNative(files.tokenizerJson());
        var t = new HfTokenizer(tokenizer, files.tokenizerJson().toString(),
                SpecialTokenIds.vocabSize(files.tokenizer()),
                SpecialTokenIds.resolve(files.tokenizer(), files.tokenizerConfig(), files.modelConfig(), "bos"),
                SpecialTokenIds.resolve(files.tokenizer(), files.tokenizerConfig(), files.modelConfig(), "eos"),
                SpecialTokenIds.resolve(files.tokenizer(), files.tokenizerConfig(), files.modelConfig(), "pad"));
        LOG.debug("loaded {} from {}", t, modelDir);
        return t;
    }
}
