package org.peftarena.peft.dora;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LowRank;
import org.peftarena.peft.lora.ScaledLowRankConfig;

/**
 * DoRA: LoRA plus a per-output-row magnitude, {@code W = m * V / rownorm(V)}, {@code V = W0 + (alpha/r) B A}.
 *
 * @param rank r, at least 1
 * @param alpha scaling numerator, positive
 */
public record DoraConfig(int rank, double alpha) implements ScaledLowRankConfig {
    public DoraConfig {
        LowRank.check("dora", rank, alpha);
    }

    /** The LoRA defaults. */
    public DoraConfig() {
        this(LoraConfig.DEFAULT_RANK, LoraConfig.DEFAULT_ALPHA);
    }

    @Override
    public PeftMethod method() {
        return DoraMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        return ScaledLowRankConfig.super.moduleParams(m) + m.out();
    }

    @Override
    public DoraConfig withSize(int size) {
        return new DoraConfig(size, alpha);
    }

    @Override
    public String scaleSetting() {
        return "lora_alpha " + alpha + " (scale alpha/r = " + scaling() + ")";
    }
}
