package org.peftarena.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Receives the input and output activations of a linear layer during a forward pass (for
 * activation-space diagnostics). The tensors are valid only during the call: copy what you need
 * (e.g. with {@link HostTensors#toFloats}).
 */
@FunctionalInterface
public interface ActivationListener {
    /**
     * @param module    Hugging Face module name, e.g. "model.layers.0.mlp.down_proj"
     * @param input     {@code [B, T, in]} in the model's dtype
     * @param output    {@code [B, T, out]} in the model's dtype
     * @param tokenMask {@code [B, T]} bool, true at real (non-padding) tokens
     */
    void onActivation(String module, Tensor input, Tensor output, Tensor tokenMask);
}
