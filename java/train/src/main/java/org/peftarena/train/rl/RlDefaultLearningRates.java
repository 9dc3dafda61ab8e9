package org.peftarena.train.rl;

import org.peftarena.peft.PeftMethod;
import org.peftarena.train.sft.DefaultLearningRates;

/**
 * Peak learning rates of GRPO runs on small models such as the embedded one, one per method: a
 * tenth of the method's SFT default ({@link DefaultLearningRates}). The SFT defaults collapse the
 * policy under GRPO (LoRA at 2e-2 drives every sampled reward to 0 within a few steps on the
 * embedded arithmetic target, see {@code benchmarks/results/rl-quick-2026-12-03.md}); the policy
 * gradient of a group-normalised advantage is much larger per token than a cross-entropy gradient.
 */
public final class RlDefaultLearningRates {
    /** The RL default of a method is its SFT default shifted this many decimal places down. */
    public static final int DECIMAL_SHIFT = 1;

    private RlDefaultLearningRates() {}

    /** The default peak learning rate of a method under GRPO. */
    public static double forMethod(PeftMethod method) {
        // a decimal shift, so 3e-3 becomes 3e-4 exactly as written (run ids and tables show the rate)
        return java.math.BigDecimal.valueOf(DefaultLearningRates.forMethod(method)).movePointLeft(DECIMAL_SHIFT).doubleValue();
    }
}
