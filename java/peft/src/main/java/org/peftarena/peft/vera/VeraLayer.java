package org.peftarena.peft.vera;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdditiveAdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;

/**
 * VeRA on one linear layer: {@code y = x W0^T + b + lambda_b * ((lambda_d * (x A^T)) B^T)} with the
 * shared projections sliced to this layer's size.
 */
public final class VeraLayer extends AdditiveAdapterLayer {
    private final Tensor lambdaB;
    private final Tensor lambdaD;
    private final VeraProjections projections;

    /**
     * A fresh VeRA layer: {@code lambda_b = 0}, {@code lambda_d = d_initial}.
     *
     * @param base the frozen layer
     * @param config rank and initial {@code lambda_d}
     * @param projections the shared projections, at least as large as this layer
     */
    public VeraLayer(BaseLinear base, VeraConfig config, VeraProjections projections) {
        super(base);
        this.projections = projections;
        this.lambdaB = ParameterInit.zeros(base.device(), base.out());
        this.lambdaD = ParameterInit.filled(base.device(), config.dInitial(), config.rank());
    }

    private Tensor slicedA() {
        return projections.a().narrow(1, 0, base.in());
    }

    private Tensor slicedB() {
        return projections.b().narrow(0, 0, base.out());
    }

    /**
     * Per token ({@code x A^T}, then {@code B}) when that is cheaper, else through the merged weight
     * {@code x (W0 + dW)^T}: the same function. VeRA's rank is often far above LoRA's (matching a
     * LoRA budget on a small model asks for r in the thousands), and then forming the {@code out x in}
     * update costs far less than two products of every token with the {@code r}-wide projections.
     */
    @Override
    protected Tensor adaptedForward(Tensor x) {
        return weightPathIsCheaper(x.numel() / base.in()) ? forwardViaWeight(x) : forwardPerToken(x);
    }

    Tensor forwardViaWeight(Tensor x) {
        Tensor w = base.weight().add(delta());
        return base.bias() == null ? torch.linear(x, w) : torch.linear(x, w, base.bias());
    }

    Tensor forwardPerToken(Tensor x) {
        Tensor h = torch.linear(x, slicedA()).mul(lambdaD);
        return base.forward(x).add(torch.linear(h, slicedB()).mul(lambdaB));
    }

    /**
     * Multiply-adds of a training step, forward and backward: per token {@code 3 rows r (in + out)}; through
     * the weight {@code 3 out r in} (the update and its two gradients) plus {@code rows in out} (the
     * weight gradient {@code dY^T X} the per-token form does not need).
     */
    boolean weightPathIsCheaper(long rows) {
        double r = lambdaD.size(0);
        double perToken = 3.0 * rows * r * (base.in() + base.out());
        double viaWeight = 3.0 * base.out() * r * base.in() + (double) rows * base.in() * base.out();
        return viaWeight < perToken;
    }

    /** {@code diag(lambda_b) B diag(lambda_d) A}: float32 {@code (out, in)}. */
    @Override
    public Tensor delta() {
        return slicedB().mul(lambdaB.unsqueeze(1)).matmul(slicedA().mul(lambdaD.unsqueeze(1)));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("vera_lambda_b", lambdaB, "vera_lambda_d", lambdaD);
    }
}
