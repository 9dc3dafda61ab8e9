package org.peftarena.analysis.weights;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.kernels.KernelOps;
import org.peftarena.model.TensorKernels;

/** Products with a block-diagonal matrix {@code R_bd = blockdiag(R_1..R_nb)} without forming it. */
public final class BlockDiagonal {
    /** Largest block size the native block-rotation kernel accepts. */
    private static final long NATIVE_MAX_BLOCK = KernelLimits.ROTATE_MAX_BLOCK;
    private static final KernelOps KERNELS = KernelOps.cpu();
    private static final TensorKernels DEVICE_KERNELS = TensorKernels.create();

    private BlockDiagonal() {}

    /**
     * @param x rows, float [n, nb * b]
     * @param blocks float [nb, b, b]
     * @param transposed multiply by {@code R_bd^T} instead of {@code R_bd}
     * @return {@code x R_bd} (or {@code x R_bd^T}), float [n, nb * b], on x's device: float32 CPU and CUDA
     *     tensors take our block-rotation kernels, anything else LibTorch's {@code bmm}
     */
    public static Tensor timesRight(Tensor x, Tensor blocks, boolean transposed) {
        long nb = blocks.size(0);
        long b = blocks.size(1);
        long n = x.size(0);
        if (x.size(1) != nb * b) {
            throw new IllegalArgumentException("rows of width " + x.size(1) + " do not fit " + nb + " blocks of "
                    + b);
        }
        boolean kernelShape = b <= NATIVE_MAX_BLOCK && n > 0 && x.scalar_type().intern() == torch.ScalarType.Float
                && blocks.scalar_type().intern() == torch.ScalarType.Float;
        if (kernelShape && x.is_cuda() && blocks.is_cuda()) {
            return DEVICE_KERNELS.blockRotate(x, blocks, transposed); // our CUDA kernel on LibTorch's stream
        }
        if (kernelShape && x.device().is_cpu() && blocks.device().is_cpu()) {
            // LibTorch's CPU bmm over many b x b blocks is two orders of magnitude slower than the
            // dedicated kernel on these shapes
            Tensor xc = x.contiguous();
            Tensor rc = blocks.contiguous();
            Tensor y = torch.empty_like(xc);
            KERNELS.blockRotate(xc.data_ptr().address(), n, nb * b, nb * b, rc.data_ptr().address(), (int) b,
                    transposed, y.data_ptr().address(), nb * b);
            return y;
        }
        Tensor r = transposed ? blocks.transpose(1, 2) : blocks;
        Tensor xb = x.reshape(n, nb, b).transpose(0, 1); // [nb, n, b]
        return torch.bmm(xb, r).transpose(0, 1).reshape(n, nb * b);
    }

    /**
     * @param blocks float [nb, b, b]
     * @return {@code max abs(R_j^T R_j - I)} over all blocks
     */
    public static double orthogonalityError(Tensor blocks) {
        Tensor eye = torch.eye(blocks.size(1)).to(blocks.scalar_type());
        Tensor gram = torch.bmm(blocks.transpose(1, 2), blocks);
        return gram.sub(eye).abs().max().item_double();
    }

    static void requireBlocks(Tensor blocks) {
        if (blocks.dim() != 3 || blocks.size(1) != blocks.size(2) || !blocks.is_floating_point()) {
            throw new IllegalArgumentException("rotation blocks must be a float [nb, b, b] tensor, got "
                    + TensorMatrices.shape(blocks));
        }
    }
}
