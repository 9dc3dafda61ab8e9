package org.peftarena.engine.peft.hra;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.engine.peft.AdapterLayer;
import org.peftarena.engine.peft.BaseLinear;
import org.peftarena.engine.peft.ParameterInit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HRA on one linear layer: {@code W = W0 H}, {@code H = H_1 ... H_r}, {@code H_i = I - 2 u_i u_i^T}
 * with unit {@code u_i} (columns of {@code U (in, r)}). The forward applies the reflections to the
 * input ({@code x H^T = x H_r ... H_1}), so the dense {@code in x in} matrix is never built.
 */
public final class HraLayer extends AdapterLayer {
    private static final Logger LOG = LoggerFactory.getLogger(HraLayer.class);

    private final Tensor u;
    private final int rank;

    /**
     * HF PEFT's initialisation: for even r, Kaiming-uniform columns repeated in pairs (so the
     * reflections cancel and {@code H = I}); for odd r, Kaiming-uniform (not the identity).
     *
     * @param base the frozen layer
     * @param config the number of reflections
     * @param seed module seed
     */
    public HraLayer(BaseLinear base, HraConfig config, long seed) {
        super(base);
        this.rank = config.rank();
        SplittableRandom rng = new SplittableRandom(seed);
        if (rank % 2 == 0) {
            Tensor half = ParameterInit.uniformFrozen(rng, 1.0 / Math.sqrt(rank / 2.0), base.in(), rank / 2);
            this.u = ParameterInit.trainable(half.repeat_interleave(2, new org.bytedeco.pytorch.LongOptional(1), new org.bytedeco.pytorch.LongOptional()).contiguous());
        } else {
            LOG.warn("{}: HRA rank {} is odd; the symmetric identity initialisation needs an even rank", base.path(), rank);
            this.u = ParameterInit.uniform(rng, 1.0 / Math.sqrt(rank), base.in(), rank);
        }
    }

    private Tensor unitColumns() {
        return u.div(u.norm(new ScalarOptional(new Scalar(2.0)), new long[] {0}, true));
    }

    /** Applies {@code H_i} for i in the given order to the rows of {@code m (..., in)}. */
    private static Tensor reflect(Tensor m, Tensor units, int from, int to, int step) {
        Tensor r = m;
        for (int i = from; i != to; i += step) {
            Tensor ui = units.select(1, i);
            r = r.sub(r.matmul(ui).unsqueeze(-1).mul(ui), new Scalar(2.0));
        }
        return r;
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(reflect(x, unitColumns(), rank - 1, -1, -1));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("hra_u", u);
    }

    @Override
    protected void mergeIntoBase() {
        base.weight().copy_(reflect(base.weight(), unitColumns(), 0, rank, 1));
    }

    @Override
    protected void unmergeFromBase() {
        base.weight().copy_(reflect(base.weight(), unitColumns(), rank - 1, -1, -1));
    }
}
