package org.peftarena.formats.config;

import java.util.Optional;

/** Hugging Face {@code model_type} values served by the Llama-family decoder, with their per-type defaults. */
public enum ModelType {
    /** Llama 2/3.x, SmolLM, TinyLlama: {@code attention_bias} applies to q, k, v and o. */
    LLAMA("llama", "LlamaForCausalLM", 2048),
    /** Qwen2 / Qwen2.5: q, k, v always have a bias, o never. */
    QWEN2("qwen2", "Qwen2ForCausalLM", 32768),
    /** Mistral: no biases; sliding-window attention (default window 4096). */
    MISTRAL("mistral", "MistralForCausalLM", 4096 * 32);

    private final String hfName;
    private final String architecture;
    private final int defaultMaxPositions;

    ModelType(String hfName, String architecture, int defaultMaxPositions) {
        this.hfName = hfName;
        this.architecture = architecture;
        this.defaultMaxPositions = defaultMaxPositions;
    }

    /** @return the {@code model_type} string */
    public String hfName() {
        return hfName;
    }

    /** @return the {@code architectures[0]} class name for causal LM checkpoints */
    public String architecture() {
        return architecture;
    }

    /** @return Hugging Face's default {@code max_position_embeddings} for this type */
    public int defaultMaxPositions() {
        return defaultMaxPositions;
    }

    /**
     * @param name a {@code model_type} string
     * @return the matching type, or empty when unsupported
     */
    public static Optional<ModelType> fromHfName(String name) {
        for (ModelType t : values()) {
            if (t.hfName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
