package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.linear;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code y = x W^T + b} for a frozen weight stored in a narrower dtype than the activations (a
 * bfloat16 or float16 base model computed in float32), with at most one layer's widened copy of
 * {@code W} alive at a time.
 *
 * <p>The obvious form, {@code linear(x, W.to(float32))}, makes autograd keep every layer's widened
 * weight until the backward pass (it is the saved operand of {@code dL/dx = dL/dy W}), which costs
 * twice the stored weights again. Here the forward widens {@code W}, multiplies and drops the copy;
 * the backward widens it once more, layer by layer, as the gradient reaches it. Autograd is joined
 * without a custom C++ function, by two pre-hooks (as the native OFT rotation does):
 * <ul>
 *   <li>the output is {@code y + 0 * v[..., :1]} where {@code v} is a view of {@code x}: its node
 *       receives {@code dL/dy}, which the first hook keeps;</li>
 *   <li>the second hook sits on the view's node, where the (zero) gradient of that term arrives in
 *       {@code x}'s shape, and replaces it by {@code dL/dx = dL/dy W}, computed in float32.</li>
 * </ul>
 * The weight and bias get no gradient: they must not require one (full finetuning trains float32
 * weights, which take the ordinary path). The hooks release the gradients they handle at once
 * rather than with the caller's {@code PointerScope}, so none outlives its layer's backward.
 *
 * <p>The hooks are Java objects that only a {@code PointerScope} keeps reachable until the backward pass
 * ({@link OwnedPreHook}). Outside one (a caller's own forward and backward, as in an embedding program
 * without scopes) the obvious form is used: the same values and gradients, with the widened weight kept
 * by autograd.
 */
public final class FrozenLinear {
    private FrozenLinear() {}

    /**
     * Whether {@code x W^T} needs this path: the weight's dtype differs from the input's, and LibTorch's
     * autocast ({@link Autocast}) is off; under autocast the ordinary product casts both to the autocast
     * dtype, as it should.
     *
     * @param x input
     * @param weight weight
     */
    public static boolean applies(Tensor x, Tensor weight) {
        return x.scalar_type().intern() != weight.scalar_type().intern()
                && !torch.is_autocast_enabled(x.device().type());
    }

    /**
     * @param x input {@code [..., in]} in the compute dtype (float32)
     * @param weight frozen {@code [out, in]} in its stored dtype
     * @param bias frozen {@code [out]} in the weight's dtype, or null
     * @return {@code [..., out]} in {@code x}'s dtype, differentiable in {@code x}
     * @throws IllegalArgumentException when the weight or bias requires a gradient
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        if (weight.requires_grad() || (bias != null && bias.requires_grad())) {
            throw new IllegalArgumentException("a " + weight.scalar_type() + " weight used with "
                    + x.scalar_type() + " activations must be frozen; trainable weights are held in "
                    + x.scalar_type());
        }
        boolean needX = GradMode.is_enabled() && x.requires_grad();
        if (needX && !OwnedPreHook.held()) {
            return tracked(x, weight, bias);
        }
        Tensor y;
        try (NoGradGuard g = new NoGradGuard()) {
            y = widenedLinear(x.detach(), weight, bias);
        }
        if (!needX) {
            return y;
        }
        Tensor view = x.view(x.sizes().vec().get());
        Tensor out = y.add(view.narrow(-1, 0, 1), new Scalar(0.0));
        y.close(); // the untracked product is not kept until the caller's scope closes
        GradientRelay relay = new GradientRelay();
        new KeepOutputGradient(relay).addTo(out.grad_fn());
        new InputGradient(relay, weight).addTo(view.grad_fn());
        return out;
    }

    /** {@code x W^T + b} with {@code W} and {@code b} widened to {@code x}'s dtype, differentiable in {@code x} by autograd. */
    private static Tensor tracked(Tensor x, Tensor weight, Tensor bias) {
        Tensor w = weight.to(x.scalar_type());
        return bias == null ? linear(x, w) : linear(x, w, new TensorOptional(bias.to(x.scalar_type())));
    }

    /** {@code x W^T + b} with {@code W} and {@code b} widened to {@code x}'s dtype; the copies are freed at once. */
    private static Tensor widenedLinear(Tensor x, Tensor weight, Tensor bias) {
        Tensor w = weight.to(x.scalar_type());
        Tensor b = bias == null ? null : bias.to(x.scalar_type());
        try {
            return b == null ? linear(x, w) : linear(x, w, new TensorOptional(b));
        } finally {
            w.close();
            if (b != null) {
                b.close();
            }
        }
    }

    /** {@code dL/dy} handed from the output's node to the input view's node. */
    private static final class GradientRelay {
        private Tensor outputGradient;
    }

    /** On the output's node: keeps {@code dL/dy}, passes the gradients on unchanged. */
    private static final class KeepOutputGradient extends OwnedPreHook {
        private final GradientRelay relay;

        KeepOutputGradient(GradientRelay relay) {
            super();
            this.relay = relay;
        }

        @Override
        public TensorVector apply(TensorVector grads) {
            Tensor element = grads.get(0); // a view of the vector's element, valid during this call only
            relay.outputGradient = element.defined() ? new Tensor(element) : null; // our own reference
            return grads;
        }
    }

    /** On the input view's node: replaces the arriving (zero) gradient by {@code dL/dy W}. */
    private static final class InputGradient extends OwnedPreHook {
        private final GradientRelay relay;
        private final Tensor weight;

        InputGradient(GradientRelay relay, Tensor weight) {
            super();
            this.relay = relay;
            this.weight = weight;
        }

        @Override
        @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
        public TensorVector apply(TensorVector grads) {
            Tensor dy = relay.outputGradient;
            relay.outputGradient = null;
            if (dy == null) {
                return grads;
            }
            try (NoGradGuard g = new NoGradGuard()) {
                Tensor w = weight.to(dy.scalar_type());
                Tensor dx = dy.matmul(w);
                w.close();
                dy.close();
                grads.put(0, dx); // the vector holds its own reference
                dx.close();
                return grads;
            }
        }
    }
}
