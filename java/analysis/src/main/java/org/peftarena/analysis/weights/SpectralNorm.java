package org.peftarena.analysis.weights;

import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Largest singular value of an update from products with dW and dW^T only: block subspace
 * iteration on {@code dW^T dW} with a Rayleigh-Ritz step, stopped on the residual of the top Ritz
 * pair; when it does not converge the exact singular values of the dense update are used.
 */
public final class SpectralNorm {
    private static final Logger LOG = LoggerFactory.getLogger(SpectralNorm.class);
    /** Relative residual {@code norm(dW^T dW x - t^2 x) / t^2} accepted as converged. */
    public static final double TOLERANCE = 1e-6;
    /** Iterations before falling back to the exact computation. */
    public static final int MAX_ITERATIONS = 300;
    private static final int BLOCK = 6;

    private SpectralNorm() {}

    /**
     * @param update the update, accessed through {@link WeightUpdate#apply} and
     *     {@link WeightUpdate#applyTransposed}
     * @param seed seed of the starting block
     * @return {@code t_1 = norm2(dW)}
     */
    public static double of(WeightUpdate update, long seed) {
        long p = Math.min(BLOCK, Math.min(update.in(), update.out()));
        torch.manual_seed(seed);
        Tensor q = orthonormalRows(torch.randn(p, update.in()));
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            Tensor y = update.apply(q);                 // [p, out] = Q dW^T
            Tensor z = update.applyTransposed(y);       // [p, in]  = Q dW^T dW
            T_TensorTensorTensor_T usv = TensorMatrices.thinSvd(y.to(torch.ScalarType.Double));
            double t = usv.get1().select(0, 0).item_double();
            if (t == 0) {
                return 0;
            }
            // top Ritz vector x = w^T Q with w the first right singular vector of Y^T (left of Y)
            Tensor w = usv.get0().select(1, 0).to(torch.ScalarType.Float).unsqueeze(0); // [1, p]
            Tensor x = w.mm(q);
            Tensor residual = w.mm(z).sub(x.mul(TensorMatrices.scalar(t * t)));
            if (TensorMatrices.frobenius(residual) <= TOLERANCE * t * t) {
                return t;
            }
            q = orthonormalRows(z);
        }
        LOG.warn("spectral norm of a {} update did not converge in {} iterations; using the exact singular values",
                update.structure(), MAX_ITERATIONS);
        return TensorMatrices.singularValues(update.dense()).select(0, 0).item_double();
    }

    private static Tensor orthonormalRows(Tensor rows) {
        return torch.linalg_qr(rows.t().contiguous(), "reduced").get0().t().contiguous();
    }
}
