package org.peftarena.engine.peft.oft;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.engine.peft.AdapterLayer;
import org.peftarena.engine.peft.BaseLinear;
import org.peftarena.engine.peft.ParameterInit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OFT on one linear layer, input-centric: {@code x} is split into {@code in/b} chunks, each chunk is
 * multiplied by its rotation on the right, then the frozen layer runs: {@code y = (x R_bd) W0^T + b}.
 * The dense {@code in x in} rotation is never built.
 */
public final class OftLayer extends AdapterLayer {
    private static final Logger LOG = LoggerFactory.getLogger(OftLayer.class);

    private final Tensor packed;
    private final int blockSize;
    private final int blocks;
    private final CayleyVariant variant;
    private final int terms;

    /**
     * A fresh OFT adapter ({@code Q = 0}, so {@code R = I}).
     *
     * @param base the frozen layer
     * @param config block size and Cayley variant; a block size not dividing {@code in} is replaced by the nearest divisor
     */
    public OftLayer(BaseLinear base, OftConfig config) {
        super(base);
        this.blockSize = Math.toIntExact(config.effectiveBlockSize(base.in()));
        if (blockSize != config.blockSize()) {
            LOG.warn("{}: oft_block_size {} does not divide in_features {}; using {}", base.path(), config.blockSize(), base.in(), blockSize);
        }
        this.blocks = Math.toIntExact(base.in() / blockSize);
        this.variant = config.variant();
        this.terms = config.neumannTerms();
        this.packed = ParameterInit.zeros(blocks, (long) blockSize * (blockSize - 1) / 2);
    }

    /** The block size this layer uses (after any adjustment). */
    public int blockSize() {
        return blockSize;
    }

    /** The packed skew parameters: float32 {@code (in/b, b(b-1)/2)}. */
    public Tensor packed() {
        return packed;
    }

    /** The block rotations: float32 {@code (in/b, b, b)}. */
    public Tensor rotations() {
        return CayleyTransform.rotations(packed, blockSize, variant, terms);
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(BlockRotation.rightMultiply(x, rotations(), false));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("oft_R.weight", packed);
    }

    /** {@code W0 (out, in) -> W0 R_bd^T}, block by block: {@code W'[o, n, c] = sum_k W[o, n, k] R[n, c, k]}. */
    static Tensor rotateWeight(Tensor weight, Tensor blockMatrices, int blocks, int blockSize) {
        Tensor w = weight.reshape(weight.size(0), blocks, blockSize);
        return torch.einsum("onk,nck->onc", new TensorVector(w, blockMatrices)).reshape(weight.size(0), (long) blocks * blockSize);
    }

    @Override
    protected void mergeIntoBase() {
        base.weight().copy_(rotateWeight(base.weight(), rotations(), blocks, blockSize));
    }

    @Override
    protected void unmergeFromBase() {
        base.weight().copy_(rotateWeight(base.weight(), torch.linalg_inv(rotations()), blocks, blockSize));
    }
}
