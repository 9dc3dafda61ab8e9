package org.peftarena.peft.miss;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdditiveAdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;

/**
 * MiSS on one linear layer: {@code y = x W0^T + b + (sum of the r-wide chunks of x) M}, the input
 * zero-padded to a multiple of r; merged, column {@code j r + k} of {@code W0} gains row k of {@code M}.
 */
public final class MissLayer extends AdditiveAdapterLayer {
    private final Tensor block;
    private final int rank;
    private final long chunks;

    /**
     * A fresh MiSS block of zeros.
     *
     * @param base the frozen layer
     * @param config the rank
     */
    public MissLayer(BaseLinear base, MissConfig config) {
        super(base);
        this.rank = config.rank();
        this.chunks = (base.in() + rank - 1) / rank;
        this.block = ParameterInit.zeros(base.device(), rank, base.out());
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        long pad = chunks * rank - base.in();
        Tensor padded = pad == 0 ? x : torch.constant_pad_nd(x, 0, pad);
        long[] shape = padded.sizes().vec().get();
        long[] split = java.util.Arrays.copyOf(shape, shape.length + 1);
        split[shape.length - 1] = chunks;
        split[shape.length] = rank;
        Tensor summed = padded.reshape(split).sum(-2);
        return base.forward(x).add(summed.matmul(block));
    }

    /** The merged update: float32 {@code (out, in)}, column {@code j r + k} equal to row k of {@code M}. */
    @Override
    public Tensor delta() {
        return block.t().repeat(1, chunks).narrow(1, 0, base.in());
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("miss_block", block);
    }
}
