package org.peftarena.formats.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Architecture of a Llama-family decoder (model_type llama, qwen2 or mistral) as read from a
 * Hugging Face config.json; validated in the constructor.
 *
 * @param modelType which Hugging Face family the config came from
 * @param vocabSize rows of the embedding and of lm_head
 * @param hiddenSize model width
 * @param intermediateSize SwiGLU inner width
 * @param numHiddenLayers decoder blocks
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads key/value heads (grouped-query attention); divides numAttentionHeads
 * @param headDim per-head width (usually hiddenSize / numAttentionHeads)
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta RoPE base frequency
 * @param ropeScaling llama3 frequency scaling, or null for none
 * @param qkvBias whether q_proj, k_proj, v_proj have a bias
 * @param outputBias whether o_proj has a bias
 * @param mlpBias whether gate_proj, up_proj, down_proj have a bias
 * @param tieWordEmbeddings whether lm_head shares the embedding matrix
 * @param maxPositionEmbeddings longest context the model was built for
 * @param torchDtype checkpoint dtype name ("bfloat16", ...), or null when unspecified
 * @param bosTokenId beginning-of-sequence id, or null
 * @param eosTokenIds end-of-sequence ids (possibly several, possibly empty)
 * @param padTokenId padding id, or null
 * @param slidingWindow the config's {@code sliding_window} value, or null; see {@link #attentionWindow()}
 */
public record LlamaConfig(ModelType modelType, int vocabSize, int hiddenSize, int intermediateSize,
                          int numHiddenLayers, int numAttentionHeads, int numKeyValueHeads, int headDim,
                          double rmsNormEps, double ropeTheta, RopeScaling ropeScaling, boolean qkvBias,
                          boolean outputBias, boolean mlpBias, boolean tieWordEmbeddings,
                          int maxPositionEmbeddings, String torchDtype, Integer bosTokenId,
                          List<Integer> eosTokenIds, Integer padTokenId, Integer slidingWindow) {

    /** Validates sizes and the family's bias rules. */
    public LlamaConfig {
        Objects.requireNonNull(modelType, "modelType");
        eosTokenIds = List.copyOf(eosTokenIds);
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numAttentionHeads
                    + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("rms_norm_eps and rope_theta must be positive: " + rmsNormEps
                    + ", " + ropeTheta);
        }
        if (slidingWindow != null && slidingWindow <= 0) {
            throw new IllegalArgumentException("sliding_window must be positive: " + slidingWindow);
        }
        switch (modelType) {
            case QWEN2 -> require(qkvBias && !outputBias && !mlpBias, "qwen2 has q/k/v biases only");
            case MISTRAL -> require(!qkvBias && !outputBias && !mlpBias, "mistral has no biases");
            case LLAMA -> require(qkvBias == outputBias, "llama attention_bias applies to q, k, v and o alike");
        }
    }

    private static void requirePositive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be positive: " + v);
        }
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("inconsistent biases: " + rule);
        }
    }

    /**
     * Reads and validates a config.json.
     *
     * @param configJson path of the file
     * @return the config
     * @throws UnsupportedModelException when the model type or a feature is not supported
     * @throws ModelConfigException when the file is malformed
     * @throws IOException when it cannot be read
     */
    public static LlamaConfig load(Path configJson) throws IOException {
        return LlamaConfigParser.parse(configJson.toString(), org.peftarena.formats.io.UserTextFiles.bytes(configJson));
    }

    /**
     * @param source name for messages
     * @param json config.json content
     * @return the config
     * @throws ModelConfigException when malformed or unsupported
     */
    public static LlamaConfig parse(String source, String json) throws ModelConfigException {
        return LlamaConfigParser.parse(source, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Writes {@link #toJson()} atomically (temporary file, fsync, rename).
     *
     * @param configJson target path, usually {@code <modelDir>/config.json}
     * @throws IOException when writing fails
     */
    public void save(Path configJson) throws IOException {
        org.peftarena.formats.io.AtomicFiles.write(configJson, toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @return a Hugging Face config.json describing this model (pretty-printed) */
    public String toJson() {
        return LlamaConfigJson.write(this);
    }

    /** @return query heads per key/value head */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** @return the sliding attention window in effect (mistral only), or empty for full causal attention */
    public OptionalInt attentionWindow() {
        return modelType == ModelType.MISTRAL && slidingWindow != null ? OptionalInt.of(slidingWindow)
                : OptionalInt.empty();
    }

    /**
     * The seven linear layers of one block, in the order q, k, v, o, gate, up, down.
     *
     * @param layer block index in [0, numHiddenLayers)
     * @return specs named like "model.layers.3.self_attn.q_proj"
     */
    public List<LinearModuleSpec> linearModules(int layer) {
        Objects.checkIndex(layer, numHiddenLayers);
        String attn = "model.layers." + layer + ".self_attn.";
        String mlp = "model.layers." + layer + ".mlp.";
        int q = numAttentionHeads * headDim;
        int kv = numKeyValueHeads * headDim;
        return List.of(
                new LinearModuleSpec(attn + "q_proj", q, hiddenSize, qkvBias),
                new LinearModuleSpec(attn + "k_proj", kv, hiddenSize, qkvBias),
                new LinearModuleSpec(attn + "v_proj", kv, hiddenSize, qkvBias),
                new LinearModuleSpec(attn + "o_proj", hiddenSize, q, outputBias),
                new LinearModuleSpec(mlp + "gate_proj", intermediateSize, hiddenSize, mlpBias),
                new LinearModuleSpec(mlp + "up_proj", intermediateSize, hiddenSize, mlpBias),
                new LinearModuleSpec(mlp + "down_proj", hiddenSize, intermediateSize, mlpBias));
    }

    /** @return the linear layers of all blocks, block by block */
    public List<LinearModuleSpec> linearModules() {
        List<LinearModuleSpec> all = new ArrayList<>(numHiddenLayers * 7);
        for (int l = 0; l < numHiddenLayers; l++) {
            all.addAll(linearModules(l));
        }
        return all;
    }

    /** @return parameters of one block: its linear layers plus the two RMSNorm weights */
    public long blockParameterCount() {
        long n = 2L * hiddenSize;
        for (LinearModuleSpec m : linearModules(0)) {
            n += m.parameterCount();
        }
        return n;
    }

    /** @return all parameters: embedding, blocks, final norm and (unless tied) lm_head */
    public long parameterCount() {
        long embedding = (long) vocabSize * hiddenSize;
        return embedding + numHiddenLayers * blockParameterCount() + hiddenSize
                + (tieWordEmbeddings ? 0 : embedding);
    }
}
