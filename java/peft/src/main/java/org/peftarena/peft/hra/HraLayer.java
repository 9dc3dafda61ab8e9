package org.peftarena.peft.hra;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HRA on one linear layer: {@code W = W0 H}, {@code H = H_1 ... H_r}, {@code H_i = I - 2 u_i u_i^T}
 * with unit {@code u_i} (columns of {@code U (in, r)}). The forward applies the reflections to the
 * input ({@code x H^T = x H_r ... H_1}), so the dense {@code in x in} matrix is never built, in the
 * compact WY form {@code H = I - U T U^T} ({@link #compactFactor}): two products with {@code U} per
 * forward instead of r sequential reflections.
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
            Tensor half = ParameterInit.uniformFrozen(base.device(), rng, 1.0 / Math.sqrt(rank / 2.0), base.in(), rank / 2);
            this.u = ParameterInit.trainable(half.repeat_interleave(2, new org.bytedeco.pytorch.LongOptional(1), new org.bytedeco.pytorch.LongOptional()).contiguous());
        } else {
            LOG.warn("{}: HRA rank {} is odd; the symmetric identity initialisation needs an even rank", base.path(), rank);
            this.u = ParameterInit.uniform(base.device(), rng, 1.0 / Math.sqrt(rank), base.in(), rank);
        }
    }

    private Tensor unitColumns() {
        return u.div(u.norm(new ScalarOptional(new Scalar(2.0)), new long[] {0}, true));
    }

    /**
     * Applies {@code H_i} for i in the given order to the rows of {@code m (..., in)}, one reflection
     * at a time: the reference the compact form is tested against.
     */
    static Tensor reflectSequentially(Tensor m, Tensor units, int from, int to, int step) {
        Tensor r = m;
        for (int i = from; i != to; i += step) {
            Tensor ui = units.select(1, i);
            r = r.sub(r.matmul(ui).unsqueeze(-1).mul(ui), new Scalar(2.0));
        }
        return r;
    }

    /**
     * The compact WY form of the product: {@code H_1 H_2 ... H_r = I - U T U^T} with the upper
     * triangular {@code T = (I/2 + striu(U^T U))^-1} (unit columns, each reflection {@code I - 2 u u^T}).
     *
     * @param units unit columns {@code U (in, r)}
     * @return {@code T (r, r)}
     */
    static Tensor compactFactor(Tensor units) {
        Tensor gram = units.t().matmul(units);
        Tensor inverse = torch.triu(gram, 1).add(torch.eye(gram.size(0), gram.options()), new Scalar(0.5));
        return torch.linalg_inv(inverse);
    }

    /**
     * {@code m H_1 ... H_r} ({@code transposed = false}) or {@code m H_r ... H_1} ({@code true}) on the rows
     * of {@code m (..., in)}: {@code m - ((m U) T) U^T} or with {@code T^T}, two products with the
     * {@code in x r} matrix instead of r sequential rank-1 updates.
     */
    static Tensor reflect(Tensor m, Tensor units, boolean transposed) {
        Tensor t = compactFactor(units);
        Tensor mu = m.matmul(units);
        return m.sub(mu.matmul(transposed ? t.t() : t).matmul(units.t()));
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(reflect(x, unitColumns(), true));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("hra_u", u);
    }

    @Override
    protected void mergeIntoBase() {
        base.weight().copy_(reflect(base.weight(), unitColumns(), false));
    }

    @Override
    protected void unmergeFromBase() {
        base.weight().copy_(reflect(base.weight(), unitColumns(), true));
    }
}
