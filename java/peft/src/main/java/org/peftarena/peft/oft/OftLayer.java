package org.peftarena.peft.oft;

import java.util.Map;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;
import org.peftarena.kernels.KernelException;
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
        this.packed = ParameterInit.zeros(base.device(), blocks, (long) blockSize * (blockSize - 1) / 2);
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
        return CayleyTransform.rotations(packed, blockSize, variant);
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        Tensor rotated = nativeRotation(x);
        return base.forward(rotated != null ? rotated : BlockRotation.rightMultiply(x, rotations(), false));
    }

    /**
     * {@code x R_bd} entirely on the native kernels (the CPU's, or the CUDA ones on CUDA tensors), or null where they do
     * not apply (float64, other devices, blocks beyond the kernel's limit, non-finite parameters on the CPU). The blocks come from the native Cayley kernel, the
     * rotation and its two gradients from the block kernels ({@link NativeBlockRotation}), and the
     * parameters' gradient from the Cayley kernel's vector-Jacobian product, accumulated into
     * {@code packed.grad()} during the backward pass: no LibTorch graph is built for the Cayley
     * transform. Values and gradients equal the LibTorch path's ({@code NativeBlockRotationTest}).
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    Tensor nativeRotation(Tensor x) {
        if (!NativeBlockRotation.enabled() || !KernelLimits.cayleyBlockSupported(blockSize)
                || !(packed.device().is_cpu() || packed.is_cuda()) || packed.scalar_type().intern() != torch.ScalarType.Float) {
            return null;
        }
        Tensor q;
        Tensor r;
        try (NoGradGuard g = new NoGradGuard()) {
            q = packed.detach().contiguous();
            try {
                r = CayleyTransform.kernelRotations(q, blockSize, variant);
            } catch (KernelException e) {
                KernelFallback.process().report("OFT Cayley transform", e);
                return null;
            }
        }
        boolean needQ = GradMode.is_enabled() && packed.requires_grad();
        return NativeBlockRotation.apply(x, r, false, needQ ? dR -> accumulateGradient(q, r, dR) : null);
    }

    /** {@code packed.grad += VJP(dR)}, as LibTorch's gradient accumulation would. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private void accumulateGradient(Tensor q, Tensor r, Tensor dR) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor dq = CayleyTransform.kernelVjp(q, r, dR, blockSize, variant);
            Tensor grad = packed.grad();
            if (grad.defined()) {
                grad.add_(dq);
            } else {
                packed.mutable_grad().put(dq);
            }
        }
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
