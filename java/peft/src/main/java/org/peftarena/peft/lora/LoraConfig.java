package org.peftarena.peft.lora;

import org.peftarena.peft.PeftMethod;


/**
 * LoRA: {@code W0 + (alpha/r) B A} with {@code A (r, in)} Kaiming-uniform and {@code B (out, r)} zero.
 *
 * @param rank r, at least 1
 * @param alpha the scaling numerator (HF PEFT {@code lora_alpha}), positive
 */
public record LoraConfig(int rank, double alpha) implements ScaledLowRankConfig {
    /** HF PEFT's default rank. */
    public static final int DEFAULT_RANK = 8;
    /** HF PEFT's default alpha. */
    public static final double DEFAULT_ALPHA = 8;

    public LoraConfig {
        LowRank.check("lora", rank, alpha);
    }

    /** The defaults. */
    public LoraConfig() {
        this(DEFAULT_RANK, DEFAULT_ALPHA);
    }

    @Override
    public PeftMethod method() {
        return LoraMethod.ID;
    }

    @Override
    public LoraConfig withSize(int size) {
        return new LoraConfig(size, alpha);
    }

    @Override
    public String scaleSetting() {
        return "lora_alpha " + alpha + " (scale alpha/r = " + scaling() + ")";
    }
}
