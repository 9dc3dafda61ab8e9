package org.peftarena.formats.config;

/**
 * Llama 3 style RoPE frequency scaling ({@code rope_scaling.rope_type == "llama3"}).
 *
 * @param factor long-wavelength division factor (> 0)
 * @param lowFreqFactor low-frequency factor (> 0)
 * @param highFreqFactor high-frequency factor (> lowFreqFactor)
 * @param originalMaxPositionEmbeddings context length the frequencies were trained for (> 0)
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings) {

    /** The type name Hugging Face uses for this scaling. */
    public static final String TYPE = "llama3";

    /** Validates the factors. */
    public RopeScaling {
        if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)
                || originalMaxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("invalid llama3 rope_scaling: factor=" + factor + ", low_freq_factor="
                    + lowFreqFactor + ", high_freq_factor=" + highFreqFactor + ", original_max_position_embeddings="
                    + originalMaxPositionEmbeddings);
        }
    }
}
