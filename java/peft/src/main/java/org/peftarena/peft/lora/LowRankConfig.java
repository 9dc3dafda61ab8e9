package org.peftarena.peft.lora;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;

/**
 * What the LoRA family's configurations (LoRA, DoRA, PiSSA, MiLoRA, KeepLoRA) share: a rank r that is
 * their size knob and, unless a method trains more or less, {@code A (r, in)} plus {@code B (out, r)}
 * trainable per layer.
 */
public interface LowRankConfig extends PeftConfig {
    /** The rank r, at least 1. */
    int rank();

    /** {@code r * (in + out)}. */
    @Override
    default long moduleParams(LinearShape m) {
        return LowRank.params(rank(), m);
    }

    @Override
    default int size() {
        return rank();
    }
}
