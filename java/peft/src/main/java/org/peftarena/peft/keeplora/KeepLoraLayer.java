package org.peftarena.peft.keeplora;

import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdditiveAdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.GradientInitialisedLayer;
import org.peftarena.peft.ParameterInit;
import org.peftarena.peft.PeftException;

/**
 * KeepLoRA on one linear layer: {@code y = x W0^T + b + (x A^T) B^T} with {@code A} frozen.
 *
 * <p>{@code A} comes from one gradient {@code G} of {@code W0}: the part of {@code G} in the
 * top-{@code k r} right-singular subspace of {@code W0} is removed ({@code G - G V_k V_k^T}), and
 * {@code A = V_r^T} of the residual's rank-r SVD. The method's {@code B = U_r S_r} start with the
 * residual {@code W0 - B A} frozen is the same function as {@code W0 + B' A} with {@code B' = B - U_r S_r}
 * starting at zero, which is how it is trained and stored (a plain rank-r LoRA, alpha = r).
 */
public final class KeepLoraLayer extends AdditiveAdapterLayer implements GradientInitialisedLayer {
    private final int rank;
    private final int protectedDirections;
    private final Tensor a;
    private final Tensor b;
    private boolean initialised;

    /**
     * An adapter awaiting its gradient ({@code A = 0} until {@link #initFromGradient} runs).
     *
     * @param base the frozen layer
     * @param config rank and protected-subspace factor
     */
    public KeepLoraLayer(BaseLinear base, KeepLoraConfig config) {
        super(base);
        long k = Math.min(base.in(), base.out());
        if (config.rank() > k) {
            throw new PeftException(base.path() + ": rank " + config.rank() + " exceeds min(in, out) = " + k);
        }
        this.rank = config.rank();
        this.protectedDirections = (int) Math.min(k, (long) config.protectedFactor() * config.rank());
        this.a = torch.zeros(new long[] {rank, base.in()}, ParameterInit.floats(base.device()));
        this.b = ParameterInit.zeros(base.device(), base.out(), rank);
    }

    /** Whether {@code A} has been set from a gradient (or loaded). */
    @Override
    public boolean initialised() {
        return initialised;
    }

    /**
     * Sets the frozen {@code A} from a gradient of the base weight.
     *
     * @param gradient float32 {@code (out, in)}: dLoss/dW0 of one batch
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    @Override
    public void initFromGradient(Tensor gradient) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor w = base.weight().to(torch.ScalarType.Double);
            Tensor grad = gradient.to(torch.ScalarType.Double);
            if (protectedDirections > 0) {
                Tensor vk = torch.linalg_svd(w, false, new StringViewOptional()).get2().narrow(0, 0, protectedDirections);
                grad = grad.sub(grad.matmul(vk.t()).matmul(vk));
            }
            T_TensorTensorTensor_T usv = torch.linalg_svd(grad, false, new StringViewOptional());
            a.copy_(usv.get2().narrow(0, 0, rank).to(torch.ScalarType.Float));
        }
        initialised = true;
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(x).add(torch.linear(torch.linear(x, a), b));
    }

    /** {@code B A}: float32 {@code (out, in)}. */
    @Override
    public Tensor delta() {
        return b.matmul(a);
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("lora_B.weight", b);
    }

    @Override
    public Map<String, Tensor> saved() {
        return named("lora_A.weight", a, "lora_B.weight", b);
    }

    @Override
    public void load(Map<String, Tensor> tensors) {
        super.load(tensors);
        initialised = true;
    }
}
