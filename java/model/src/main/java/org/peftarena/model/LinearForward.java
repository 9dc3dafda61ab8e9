package org.peftarena.model;

import org.bytedeco.pytorch.Tensor;

/**
 * A replacement forward of one linear layer: the extension point through which adapters (LoRA,
 * OFT, IA3, ...) change what a named layer computes without touching the decoder.
 *
 * <p>The default forward is {@link LinearModule#base(Tensor)}, {@code y = x W^T + b}. An adapter
 * typically combines it with its own trainable tensors, e.g. LoRA
 * {@code module.base(x).add(scale * linear(linear(x, A), B))} or OFT
 * {@code module.base(rotate(x))}. Tensors created here are freed with the caller's scope.
 */
@FunctionalInterface
public interface LinearForward {
    /**
     * @param module the layer (name, spec, frozen base weight and bias)
     * @param x      input {@code [..., in]} in the model's compute dtype
     * @return output {@code [..., out]} in the model's compute dtype
     */
    Tensor forward(LinearModule module, Tensor x);
}
