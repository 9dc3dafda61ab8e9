package org.peftarena.analysis.weights;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;

/**
 * The change {@code dW = W1 - W0} of one linear module, in whatever structure the method gives
 * it, with the reductions the diagnostics need computed from that structure.
 */
public interface WeightUpdate {
    /** @return rows of dW */
    long out();

    /** @return columns of dW */
    long in();

    /** @return a short name of the structure, e.g. "dense", "low-rank", "block-rotation" */
    String structure();

    /** @return dW materialised, float32 [out, in] (tests and fallbacks only) */
    Tensor dense();

    /**
     * @param h rows of module inputs, float32 [n, in]
     * @return {@code h dW^T}, float32 [n, out]
     */
    Tensor apply(Tensor h);

    /**
     * @param g rows in output space, float32 [n, out]
     * @return {@code g dW}, float32 [n, in]
     */
    Tensor applyTransposed(Tensor g);

    /** @return {@code normF(dW)^2} */
    double frobeniusSquared();

    /**
     * @param base spectrum of W0 (structures that are expressed through W0 use it)
     * @return the stable rank {@code normF(dW)^2 / t_1^2}, 0 for a zero update
     */
    double effectiveRank(BaseSpectrum base);

    /**
     * @param base spectrum of W0 ({@code base.out() == out()}, {@code base.in() == in()})
     * @return {@code u_i^T dW v_i} and {@code norm2(dW v_i)} for i = 1..k
     */
    UpdateProfiles profiles(BaseSpectrum base);

    /**
     * Singular-vector alignment and intruder dimensions when the structure gives them without a
     * decomposition of W1.
     *
     * @param base spectrum of W0
     * @param options top-k and threshold
     * @return the alignment, or empty when it needs the SVD of W1
     */
    default Optional<Alignment> structuredAlignment(BaseSpectrum base, AlignmentOptions options) {
        return Optional.empty();
    }
}
