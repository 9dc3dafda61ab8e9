package org.peftarena.peft.milora;

import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LowRank;
import org.peftarena.peft.lora.LowRankConfig;

/**
 * MiLoRA: LoRA factors initialised from the bottom-r (minor) singular triplets of {@code W0}, the rest frozen as
 * {@code W_res = W0 - B0 A0}; alpha equals r (scaling 1).
 *
 * @param rank r, at least 1 and at most {@code min(in, out)} of every targeted layer
 */
public record MiloraConfig(int rank) implements LowRankConfig {
    public MiloraConfig {
        LowRank.check("milora", rank, rank);
    }

    /** The LoRA default rank. */
    public MiloraConfig() {
        this(LoraConfig.DEFAULT_RANK);
    }

    @Override
    public PeftMethod method() {
        return MiloraMethod.ID;
    }

    @Override
    public MiloraConfig withSize(int size) {
        return new MiloraConfig(size);
    }
}
