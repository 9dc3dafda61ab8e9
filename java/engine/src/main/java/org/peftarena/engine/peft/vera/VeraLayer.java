package org.peftarena.engine.peft.vera;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.engine.peft.AdditiveAdapterLayer;
import org.peftarena.engine.peft.BaseLinear;
import org.peftarena.engine.peft.ParameterInit;

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
        this.lambdaB = ParameterInit.zeros(base.out());
        this.lambdaD = ParameterInit.filled(config.dInitial(), config.rank());
    }

    private Tensor slicedA() {
        return projections.a().narrow(1, 0, base.in());
    }

    private Tensor slicedB() {
        return projections.b().narrow(0, 0, base.out());
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        Tensor h = torch.linear(x, slicedA()).mul(lambdaD);
        return base.forward(x).add(torch.linear(h, slicedB()).mul(lambdaB));
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
