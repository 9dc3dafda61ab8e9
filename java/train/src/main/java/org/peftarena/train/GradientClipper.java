package org.peftarena.train;

import static org.bytedeco.pytorch.global.torch.kDouble;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/** Scales gradients in place so their global L2 norm is at most a limit (PyTorch's clip_grad_norm_). */
public final class GradientClipper {
    /** The recipe's limit. */
    public static final double DEFAULT_MAX_NORM = 1.0;

    private final double maxNorm;

    /** @param maxNorm largest allowed global gradient norm, > 0 */
    public GradientClipper(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    /** The limit. */
    public double maxNorm() {
        return maxNorm;
    }

    /**
     * Clips the gradients of the given tensors; tensors without a gradient are skipped.
     *
     * @return the global norm before clipping
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public double clip(List<Tensor> parameters) {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            // summed on the gradients' device in the parameters' order (the same double additions as a
            // host-side sum), read back once: one synchronisation per step on an accelerator, not one per tensor
            Tensor sum = null;
            for (Tensor p : parameters) {
                Tensor g = p.grad();
                if (g.defined()) {
                    Tensor squares = g.to(kDouble()).pow(new org.bytedeco.pytorch.Scalar(2.0)).sum();
                    sum = sum == null ? squares : sum.add(squares);
                }
            }
            double norm = Math.sqrt(sum == null ? 0 : sum.item_double());
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1.0) {
                for (Tensor p : parameters) {
                    Tensor g = p.grad();
                    if (g.defined()) {
                        g.mul_(new org.bytedeco.pytorch.Scalar(coef));
                    }
                }
            }
            return norm;
        }
    }
}
