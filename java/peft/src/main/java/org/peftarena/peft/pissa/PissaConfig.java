package org.peftarena.peft.pissa;

import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LowRank;
import org.peftarena.peft.lora.LowRankConfig;

/**
 * PiSSA: LoRA factors initialised from the top-r singular triplets of {@code W0}, the rest frozen as
 * {@code W_res = W0 - B0 A0}; alpha equals r (scaling 1), as the PiSSA recipe uses it.
 *
 * @param rank r, at least 1 and at most {@code min(in, out)} of every targeted layer
 */
public record PissaConfig(int rank) implements LowRankConfig {
    public PissaConfig {
        LowRank.check("pissa", rank, rank);
    }

    /** The LoRA default rank. */
    public PissaConfig() {
        this(LoraConfig.DEFAULT_RANK);
    }

    @Override
    public PeftMethod method() {
        return PissaMethod.ID;
    }

    @Override
    public PissaConfig withSize(int size) {
        return new PissaConfig(size);
    }
}
