package org.peftarena.peft.oft;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Input-centric block rotation shared by the orthogonal methods: {@code x blockdiag(R_1..R_N)} without the dense matrix. */
public final class BlockRotation {
    private BlockRotation() {}

    /**
     * Multiplies each of the {@code N} chunks of size {@code b} of {@code x}'s last dimension by its
     * block on the right: {@code y[..., n, c] = sum_k x[..., n, k] R[n, k, c]} (or {@code R[n, c, k]}
     * when {@code transposed}, i.e. by {@code R_n^T}). Float32 CPU tensors take the native kernels
     * (forward and backward, see {@link NativeBlockRotation}); other tensors LibTorch's einsum.
     *
     * @param x float32 {@code (..., N*b)}
     * @param blocks float32 {@code (N, b, b)}
     * @return float32 of {@code x}'s shape
     */
    public static Tensor rightMultiply(Tensor x, Tensor blocks, boolean transposed) {
        Tensor y = NativeBlockRotation.apply(x, blocks, transposed);
        return y != null ? y : libtorch(x, blocks, transposed);
    }

    /** {@link #rightMultiply} by LibTorch's einsum (permute, {@code bmm}, permute): any device and dtype. */
    static Tensor libtorch(Tensor x, Tensor blocks, boolean transposed) {
        long[] shape = x.sizes().vec().get();
        long[] chunked = java.util.Arrays.copyOf(shape, shape.length + 1);
        chunked[shape.length - 1] = blocks.size(0);
        chunked[shape.length] = blocks.size(1);
        String equation = transposed ? "...nk,nck->...nc" : "...nk,nkc->...nc";
        return torch.einsum(equation, new TensorVector(x.reshape(chunked), blocks)).reshape(shape);
    }
}
