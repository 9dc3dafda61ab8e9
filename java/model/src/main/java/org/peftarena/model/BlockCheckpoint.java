package org.peftarena.model;

import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Gradient (activation) checkpointing of one decoder block: the forward pass runs the block without building its graph
 * and keeps only the block's input; the backward pass runs the block again with gradients on that input and sends the
 * incoming gradient through the recomputed graph. Memory then holds one tensor of the hidden size per block between
 * the passes, plus one block's activations at a time, instead of every block's activations, for about one more forward
 * pass of compute. Values and gradients are those of the ordinary pass: the same operations run on the same inputs
 * ({@code LlamaModelCheckpointTest}).
 *
 * <p>Autograd is joined with the pattern of our native paths, without a custom C++ function: the block's output is a
 * {@code clone()} of its input (or of a throw-away leaf when the input needs no gradient) whose values are then
 * overwritten, and a pre-hook on that clone's node ({@link ReplacingGradientHook}) replaces the gradient of the output by the
 * gradient of the input, from a nested backward pass over the recomputed block that also accumulates the gradients of
 * the block's trainable tensors (adapters, or the weights in full finetuning). The recomputation runs in a pointer scope
 * of its own, under the autocast the forward pass ran in.
 */
final class BlockCheckpoint {
    private BlockCheckpoint() {}

    /**
     * {@code block(h)} checkpointed, or null where checkpointing does not apply (no gradients are being recorded, no
     * pointer scope would hold the hook until the backward pass, or an autocast other than bfloat16 is on): the
     * caller then runs the block as usual.
     *
     * @param h     the block's input {@code [B, T, d]}
     * @param block the block, a pure function of its input (no cache, no listeners)
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    static Tensor apply(Tensor h, UnaryOperator<Tensor> block) {
        if (!GradMode.is_enabled() || !OwnedPreHook.held()) {
            return null;
        }
        torch.DeviceType device = h.device().type();
        boolean autocast = torch.is_autocast_enabled(device);
        if (autocast && torch.get_autocast_dtype(device).intern() != torch.ScalarType.BFloat16) {
            return null;
        }
        Tensor input;
        try (NoGradGuard g = new NoGradGuard()) {
            input = h.detach();
        }
        // the node the hook sits on: a clone of h, or of a throw-away leaf when h needs no gradient
        Tensor y = (h.requires_grad() ? h : input.detach().requires_grad_(true)).clone();
        if (!y.is_contiguous()) {
            return null;
        }
        try (PointerScope blockScope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor out = block.apply(input);
            if (!java.util.Arrays.equals(out.sizes().vec().get(), y.sizes().vec().get())) {
                throw new IllegalStateException("a checkpointed block must keep its input's shape: " + y.sizes().vec()
                        + " became " + out.sizes().vec());
            }
            y.copy_(out);
        }
        new Recompute(input, block, autocast ? Autocast.BF16 : Autocast.NONE, device).addTo(y.grad_fn());
        return y;
    }

    /** The backward pass of one checkpointed block: recomputes it and replaces {@code dL/dy} by {@code dL/dh}. */
    private static final class Recompute extends ReplacingGradientHook {
        private final Tensor input;
        private final UnaryOperator<Tensor> block;
        private final Autocast autocast;
        private final torch.DeviceType device;

        Recompute(Tensor input, UnaryOperator<Tensor> block, Autocast autocast, torch.DeviceType device) {
            super();
            this.input = input;
            this.block = block;
            this.autocast = autocast;
            this.device = device;
        }

        @Override
        @SuppressWarnings("try") // scope guards (PointerScope, AutoGradMode, autocast regions) are used for their extent
        protected Tensor replace(Tensor dy) {
            Tensor grad;
            // the recomputed block's handles (and the hooks of native paths inside it) last until its backward pass is done
            try (PointerScope recompute = new PointerScope()) {
                Tensor x;
                Tensor out;
                try (AutoGradMode on = new AutoGradMode(true); Autocast.Region r = autocast.enter(device)) {
                    x = input.detach().requires_grad_(true);
                    out = block.apply(x);
                }
                out.backward(dy.to(out.scalar_type()), new BoolOptional(false), false, new TensorArrayRefOptional());
                grad = new Tensor(x.grad()); // our own reference: x, and the gradient it holds, go with the scope
                grad.retainReference(); // survives the scope
            }
            Tensor dx = new Tensor(grad); // a handle in the caller's scope
            grad.releaseReference();
            return dx;
        }
    }
}
