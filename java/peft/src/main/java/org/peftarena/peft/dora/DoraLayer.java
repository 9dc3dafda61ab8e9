package org.peftarena.peft.dora;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;

/**
 * DoRA on one linear layer: {@code W = m * V / rownorm(V)}, {@code V = W0 + s B A}, norm per output
 * row. As in HF PEFT the row norm is treated as a constant in the backward pass (detached), and the
 * bias is added after the rescaling.
 */
public final class DoraLayer extends AdapterLayer {
    private final Tensor a;
    private final Tensor b;
    private final Tensor magnitude;
    private final double scaling;
    private Tensor mergedNorm;

    /**
     * A fresh DoRA: LoRA init, {@code m = rownorm(W0)}.
     *
     * @param base the frozen layer
     * @param config rank and alpha
     * @param seed module seed for A
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public DoraLayer(BaseLinear base, DoraConfig config, long seed) {
        super(base);
        this.a = ParameterInit.kaimingUniform(base.device(), new SplittableRandom(seed), config.rank(), base.in());
        this.b = ParameterInit.zeros(base.device(), base.out(), config.rank());
        this.scaling = config.scaling();
        try (NoGradGuard g = new NoGradGuard()) {
            this.magnitude = ParameterInit.trainable(rowNorm(base.weight()).clone());
        }
    }

    private static Tensor rowNorm(Tensor w) {
        return w.norm(new ScalarOptional(new Scalar(2.0)), new long[] {1}, false);
    }

    private Tensor directionWeight() {
        return base.weight().add(b.matmul(a), new Scalar(scaling));
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        Tensor v = directionWeight();
        Tensor factor = magnitude.div(rowNorm(v).detach());
        Tensor y = org.bytedeco.pytorch.global.torch.linear(x, v).mul(factor);
        return base.bias() == null ? y : y.add(base.bias());
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("lora_A.weight", a, "lora_B.weight", b, "lora_magnitude_vector", magnitude);
    }

    @Override
    protected void mergeIntoBase() {
        Tensor v = directionWeight();
        mergedNorm = rowNorm(v);
        base.weight().copy_(v.mul(magnitude.div(mergedNorm).unsqueeze(1)));
    }

    @Override
    protected void unmergeFromBase() {
        Tensor v = base.weight().div(magnitude.div(mergedNorm).unsqueeze(1));
        base.weight().copy_(v.sub(b.matmul(a), new Scalar(scaling)));
        mergedNorm = null;
    }
}
