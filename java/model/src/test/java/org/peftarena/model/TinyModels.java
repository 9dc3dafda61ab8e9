package org.peftarena.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;

/** Tiny random decoders for tests: configs and weights with every tensor non-trivial. */
final class TinyModels {
    private TinyModels() {
    }

    /** Qwen2-style: GQA 4/2, q/k/v biases, tied embeddings. */
    static LlamaConfig qwen2Tied() {
        return parse("""
                {"model_type": "qwen2", "vocab_size": 37, "hidden_size": 24, "intermediate_size": 40,
                 "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": true,
                 "max_position_embeddings": 64}
                """);
    }

    /** Llama-3-style: GQA 6/2, head_dim 4, untied head, llama3 rope scaling that affects these frequencies. */
    static LlamaConfig llama3Scaled() {
        return parse("""
                {"model_type": "llama", "vocab_size": 29, "hidden_size": 24, "intermediate_size": 32,
                 "num_hidden_layers": 3, "num_attention_heads": 6, "num_key_value_heads": 2,
                 "rms_norm_eps": 1e-5, "rope_theta": 500.0, "tie_word_embeddings": false,
                 "max_position_embeddings": 64,
                 "rope_scaling": {"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0,
                                  "high_freq_factor": 4.0, "original_max_position_embeddings": 16}}
                """);
    }

    static LlamaConfig parse(String json) {
        try {
            return LlamaConfig.parse("test config", json);
        } catch (ModelConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random weights: matrices N(0, 0.3), biases N(0, 0.1), norm weights 1 + N(0, 0.1). */
    static Map<String, float[]> randomArrays(LlamaConfig config, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ModelWeights.expectedShapes(config).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[(int) n];
            String name = e.getKey();
            for (int i = 0; i < v.length; i++) {
                double g = rnd.nextGaussian();
                v[i] = (float) (name.endsWith("norm.weight") ? 1 + 0.1 * g : name.endsWith(".bias") ? 0.1 * g : 0.3 * g);
            }
            out.put(name, v);
        }
        return out;
    }

    static ModelWeights toWeights(LlamaConfig config, Map<String, float[]> arrays, ModelDType dtype) {
        Map<String, long[]> shapes = ModelWeights.expectedShapes(config);
        Map<String, Tensor> t = new LinkedHashMap<>();
        arrays.forEach((name, v) -> t.put(name, HostTensors.floats(v, shapes.get(name)).to(dtype.scalarType())));
        return new ModelWeights(t, dtype);
    }

    static LlamaModel model(LlamaConfig config, long seed) {
        return new LlamaModel(config, toWeights(config, randomArrays(config, seed), ModelDType.FLOAT32));
    }
}
