package org.peftarena.peft.lora;

/** A low-rank configuration whose update is scaled by {@code alpha / r} (LoRA, DoRA). */
public interface ScaledLowRankConfig extends LowRankConfig {
    /** The scaling numerator (HF PEFT {@code lora_alpha}), positive. */
    double alpha();

    /** {@code alpha / r}. */
    default double scaling() {
        return alpha() / rank();
    }
}
