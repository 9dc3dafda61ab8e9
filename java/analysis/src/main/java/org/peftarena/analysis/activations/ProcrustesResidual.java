package org.peftarena.analysis.activations;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.model.linalg.CudaLinalg;

/**
 * Raw distance and orthogonal-Procrustes residual between centred activation matrices, the
 * residual through the singular-value identity
 * {@code normF(X1 R - X0)^2 = normF(X1)^2 + normF(X0)^2 - 2 sum(svals(X1^T X0))}. Float32 CUDA inputs go to
 * {@link CudaLinalg#procrustesResidual} when the GPU path is available (cuBLAS and cuSOLVER, the residual then
 * computed directly in float64, which the identity's float32 cancellation cannot match for a good fit).
 */
public final class ProcrustesResidual {
    /** Guard added to every denominator, as in the spec. */
    public static final double EPS = 1e-12;

    private ProcrustesResidual() {}

    /**
     * @param x1c centred finetuned outputs, float [n, d]
     * @param x0c centred base outputs, float [n, d]
     * @return {@code normF(X1c - X0c) / (normF(X0c) + 1e-12)}
     */
    public static double rawDistance(Tensor x1c, Tensor x0c) {
        return TensorMatrices.frobenius(x1c.sub(x0c)) / (TensorMatrices.frobenius(x0c) + EPS);
    }

    /**
     * @param x1c centred finetuned outputs, float [n, d]
     * @param x0c centred base outputs, float [n, d]
     * @return {@code normF(X1c R - X0c) / (normF(X0c) + 1e-12)} for the optimal rotation R
     */
    public static double residual(Tensor x1c, Tensor x0c) {
        if (x1c.is_cuda() && CudaLinalg.handles(x1c) && CudaLinalg.handles(x0c) && x1c.dim() == 2) {
            return CudaLinalg.procrustesResidual(x1c, x0c) / (TensorMatrices.frobenius(x0c) + EPS);
        }
        double f1 = TensorMatrices.frobenius(x1c);
        double f0 = TensorMatrices.frobenius(x0c);
        double squared = f1 * f1 + f0 * f0 - 2 * crossNuclearNorm(x1c, x0c);
        // rounding can push an exact fit slightly below zero
        return Math.sqrt(Math.max(0, squared)) / (f0 + EPS);
    }

    /**
     * Sum of the singular values of {@code X1^T X0} without forming the d x d product when
     * {@code d > n}: with {@code X1^T = Q1 R1} and {@code X0^T = Q0 R0} (reduced QR), the product is
     * {@code Q1 (R1 R0^T) Q0^T} and shares its singular values with the n x n core {@code R1 R0^T}.
     *
     * @param x1 float [n, d]
     * @param x0 float [n, d]
     * @return the nuclear norm of {@code X1^T X0}
     */
    public static double crossNuclearNorm(Tensor x1, Tensor x0) {
        long n = x1.size(0);
        long d = x1.size(1);
        Tensor core;
        if (d <= n) {
            core = x1.t().mm(x0);
        } else {
            core = TensorMatrices.qrR(x1.t().contiguous()).mm(TensorMatrices.qrR(x0.t().contiguous()).t());
        }
        return TensorMatrices.sum(TensorMatrices.singularValues(core));
    }
}
