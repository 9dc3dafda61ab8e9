package org.peftarena.peft.lora;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdditiveAdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;

/** LoRA on one linear layer: {@code y = x W0^T + b + s (x A^T) B^T}, {@code s = alpha / r}. */
public final class LoraLayer extends AdditiveAdapterLayer {
    private final Tensor a;
    private final Tensor b;
    private final double scaling;

    /**
     * A fresh LoRA: A Kaiming-uniform, B zero (identity at start).
     *
     * @param base the frozen layer
     * @param config rank and alpha
     * @param seed module seed for A
     */
    public LoraLayer(BaseLinear base, LoraConfig config, long seed) {
        super(base);
        this.a = ParameterInit.kaimingUniform(base.device(), new SplittableRandom(seed), config.rank(), base.in());
        this.b = ParameterInit.zeros(base.device(), base.out(), config.rank());
        this.scaling = config.scaling();
    }

    /** {@code A}: float32 {@code (r, in)}. */
    public Tensor a() {
        return a;
    }

    /** {@code B}: float32 {@code (out, r)}. */
    public Tensor b() {
        return b;
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(x).add(torch.linear(torch.linear(x, a), b), new Scalar(scaling));
    }

    /** {@code s B A}: float32 {@code (out, in)}. */
    @Override
    public Tensor delta() {
        return b.matmul(a).mul(new Scalar(scaling));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("lora_A.weight", a, "lora_B.weight", b);
    }
}
