package org.peftarena.analysis.weights;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.stats.FluctuationScore;
import org.peftarena.analysis.tensor.TensorMatrices;

/** Assembles the weight-space diagnostics of one module from a base spectrum and an update. */
public final class WeightAnalysis {
    private WeightAnalysis() {}

    /** What to do about SVA and intruder dimensions. */
    public enum AlignmentMode {
        /** Leave them out. */
        NONE,
        /** Report them only when the update's structure gives them without an SVD of W1. */
        STRUCTURED,
        /** Always report them, decomposing W1 when the structure does not give them. */
        ALWAYS
    }

    /**
     * @param base spectrum of W0 (computed once per base model and module)
     * @param update the update in its own structure
     * @param w0 the pretrained weight, float [out, in]; needed only when {@code mode} is ALWAYS and
     *     the structure does not give the alignment (may be null otherwise)
     * @param mode alignment handling
     * @param options intruder top-k and threshold
     * @return the diagnostics
     */
    public static WeightDiagnostics analyse(BaseSpectrum base, WeightUpdate update, Tensor w0, AlignmentMode mode,
                                            AlignmentOptions options) {
        if (base.out() != update.out() || base.in() != update.in()) {
            throw new DiagnosticInputException("base spectrum is for a " + base.out() + "x" + base.in()
                    + " weight but the update is " + update.out() + "x" + update.in());
        }
        UpdateProfiles p = update.profiles(base);
        double[] s = base.singularValues();
        double[] retention = new double[s.length];
        double[] deviation = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            // P_diag(i) = u_i^T W0 v_i + u_i^T dW v_i = s_i + u_i^T dW v_i
            retention[i] = s[i] + p.diagonal()[i];
            deviation[i] = Math.abs(p.diagonal()[i]);
        }
        Optional<Alignment> alignment = Optional.empty();
        if (mode != AlignmentMode.NONE) {
            alignment = update.structuredAlignment(base, options);
            if (alignment.isEmpty() && mode == AlignmentMode.ALWAYS) {
                if (w0 == null) {
                    throw new IllegalArgumentException("the alignment of a " + update.structure()
                            + " update needs the base weight");
                }
                Tensor w1 = w0.to(torch.ScalarType.Float).add(update.dense());
                alignment = Optional.of(SingularAlignment.fromFinetunedWeight(base, w1, options));
            }
        }
        double norm = Math.sqrt(Math.max(0, update.frobeniusSquared()));
        return new WeightDiagnostics(base.out(), base.in(), update.structure(), retention, deviation, p.energy(),
                update.effectiveRank(base), norm, WeightDiagnostics.relativeNorm(norm, s), FluctuationScore.of(deviation), FluctuationScore.of(p.energy()), alignment);
    }

    /**
     * The everything-from-scratch path for two dense weights: SVD of W0, dense dW, singular values
     * of dW and (optionally) the SVD of W1.
     *
     * @param w0 pretrained weight, float [out, in]
     * @param w1 finetuned weight, float [out, in]
     * @param withAlignment whether to decompose W1 for SVA and intruders
     * @param options intruder top-k and threshold
     * @return the diagnostics
     */
    public static WeightDiagnostics dense(Tensor w0, Tensor w1, boolean withAlignment, AlignmentOptions options) {
        TensorMatrices.requireMatrix(w0, "base weight");
        TensorMatrices.requireMatrix(w1, "finetuned weight");
        if (w0.size(0) != w1.size(0) || w0.size(1) != w1.size(1)) {
            throw new DiagnosticInputException("base weight is " + TensorMatrices.shape(w0) + " but finetuned weight is "
                    + TensorMatrices.shape(w1));
        }
        return analyse(BaseSpectrum.compute(w0), DenseUpdate.between(w0, w1), w0,
                withAlignment ? AlignmentMode.ALWAYS : AlignmentMode.NONE, options);
    }
}
