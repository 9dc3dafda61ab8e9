package org.peftarena.train.sft;

import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftMethod;

/**
 * Peak learning rates for small models such as the embedded one (a few hidden units wide), one
 * per method, checked by the test that every method learns a toy target. The published study used
 * 2e-4 for every adapter on 7B-class models; pass that explicitly there.
 */
public final class DefaultLearningRates {
    private DefaultLearningRates() {}

    /** The default peak learning rate of a method on a small model. */
    public static double forMethod(PeftMethod method) {
        return MethodRegistry.provider(method).defaultLearningRate();
    }
}
