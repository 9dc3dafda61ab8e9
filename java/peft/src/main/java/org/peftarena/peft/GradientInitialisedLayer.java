package org.peftarena.peft;

import org.bytedeco.pytorch.Tensor;

/** An adapter layer initialised from one gradient of its base weight before training (KeepLoRA). */
public interface GradientInitialisedLayer {
    /** The adapted base layer. */
    BaseLinear base();

    /** Whether the layer has had its gradient. */
    boolean initialised();

    /**
     * Initialises the layer.
     *
     * @param gradient the loss gradient of the base weight, {@code (out, in)} float32
     */
    void initFromGradient(Tensor gradient);
}
