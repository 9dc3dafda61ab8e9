package org.peftarena.formats.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a {@link LlamaConfig} as a Hugging Face config.json that transformers and this engine both read. */
final class LlamaConfigJson {

    private LlamaConfigJson() {
    }

    static String write(LlamaConfig c) {
        ObjectNode o = LlamaConfigParser.JSON.createObjectNode();
        o.putArray("architectures").add(c.modelType().architecture());
        o.put("model_type", c.modelType().hfName());
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("intermediate_size", c.intermediateSize());
        o.put("num_hidden_layers", c.numHiddenLayers());
        o.put("num_attention_heads", c.numAttentionHeads());
        o.put("num_key_value_heads", c.numKeyValueHeads());
        if (c.headDim() * c.numAttentionHeads() != c.hiddenSize()) {
            o.put("head_dim", c.headDim());
        }
        o.put("hidden_act", "silu");
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("rope_theta", c.ropeTheta());
        RopeScaling rs = c.ropeScaling();
        if (rs == null) {
            o.putNull("rope_scaling");
        } else {
            ObjectNode s = o.putObject("rope_scaling");
            s.put("rope_type", RopeScaling.TYPE);
            s.put("factor", rs.factor());
            s.put("low_freq_factor", rs.lowFreqFactor());
            s.put("high_freq_factor", rs.highFreqFactor());
            s.put("original_max_position_embeddings", rs.originalMaxPositionEmbeddings());
        }
        switch (c.modelType()) {
            case LLAMA -> {
                o.put("attention_bias", c.qkvBias());
                o.put("mlp_bias", c.mlpBias());
            }
            case QWEN2 -> {
                o.put("use_sliding_window", false);
                if (c.slidingWindow() != null) {
                    o.put("sliding_window", c.slidingWindow());
                }
            }
            case MISTRAL -> {
                if (c.slidingWindow() == null) {
                    o.putNull("sliding_window");
                } else {
                    o.put("sliding_window", c.slidingWindow());
                }
            }
        }
        o.put("attention_dropout", 0.0);
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        if (c.torchDtype() != null) {
            o.put("torch_dtype", c.torchDtype());
        }
        if (c.bosTokenId() != null) {
            o.put("bos_token_id", c.bosTokenId());
        }
        if (c.eosTokenIds().size() == 1) {
            o.put("eos_token_id", c.eosTokenIds().get(0));
        } else if (!c.eosTokenIds().isEmpty()) {
            ArrayNode eos = o.putArray("eos_token_id");
            c.eosTokenIds().forEach(eos::add);
        }
        if (c.padTokenId() != null) {
            o.put("pad_token_id", c.padTokenId());
        }
        o.put("use_cache", true);
        try {
            return LlamaConfigParser.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o)
                    + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config", e);
        }
    }
}
