package org.peftarena.formats.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.peftarena.formats.io.AtomicFiles;

/**
 * The Hugging Face tokenizer.json of {@link ByteTokenizer}: a ByteLevel pre-tokenizer without regex
 * splitting or prefix space maps each byte to one character, and a BPE model without merges maps
 * that character to the byte's id; the three special tokens are added tokens 256..258.
 */
final class ByteTokenizerJson {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private ByteTokenizerJson() {
    }

    /** @return the complete tokenizer.json tree */
    static ObjectNode tokenizerJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < ByteTokenizer.SPECIAL_TOKENS.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", ByteTokenizer.BOS + i);
            t.put("content", ByteTokenizer.SPECIAL_TOKENS.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel());
        root.putNull("post_processor");
        root.set("decoder", byteLevel());
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        }
        model.putArray("merges");
        return root;
    }

    private static ObjectNode byteLevel() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", false);
        n.put("use_regex", false);
        return n;
    }

    /** @return tokenizer_config.json naming the special tokens for transformers */
    static ObjectNode tokenizerConfigJson() {
        ObjectNode c = JSON.createObjectNode();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("bos_token", ByteTokenizer.BOS_TOKEN);
        c.put("eos_token", ByteTokenizer.EOS_TOKEN);
        c.put("pad_token", ByteTokenizer.PAD_TOKEN);
        c.put("add_bos_token", false);
        c.put("add_eos_token", false);
        c.put("clean_up_tokenization_spaces", false);
        return c;
    }

    /**
     * @param root a parsed tokenizer.json
     * @return whether it describes exactly this byte tokenizer (the "version" field aside)
     */
    static boolean describesByteTokenizer(JsonNode root) {
        if (root == null || !root.isObject()) {
            return false;
        }
        ObjectNode candidate = ((ObjectNode) root).deepCopy();
        ObjectNode expected = tokenizerJson();
        candidate.remove("version");
        expected.remove("version");
        return expected.equals(candidate);
    }

    static void export(Path modelDir) throws IOException {
        AtomicFiles.write(modelDir.resolve(Tokenizers.TOKENIZER_JSON), pretty(tokenizerJson()));
        AtomicFiles.write(modelDir.resolve(Tokenizers.TOKENIZER_CONFIG_JSON), pretty(tokenizerConfigJson()));
    }

    private static byte[] pretty(JsonNode n) {
        try {
            return JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise tokenizer JSON", e);
        }
    }
}
