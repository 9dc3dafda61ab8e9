package org.peftarena.analysis.drift;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.analysis.weights.WeightUpdate;

/**
 * Capability-conditioned drift of one module on one prompt set (spec section 2): how much the
 * update moves the module's output on the base model's own inputs.
 *
 * @param tokens number of input rows the expectations average over
 * @param csdAbs {@code E[norm2(dW h)^2]}
 * @param csdRel {@code E[norm2(dW h)^2] / (E[norm2(W0 h)^2] + 1e-12)}
 * @param csdUn {@code E[norm2(dW h)^2] / ((normF(dW)^2 + eps) * (E[norm2(h)^2] + eps))}
 */
public record CapabilityDrift(long tokens, double csdAbs, double csdRel, double csdUn) {
    /** Fixed guard of {@code CSD_rel}'s denominator, as in the spec. */
    public static final double REL_EPS = 1e-12;
    /** Default {@code eps} of {@code CSD_un} and of the ratios. */
    public static final double DEFAULT_EPS = 1e-12;

    /**
     * @param w0 pretrained weight, float [out, in]
     * @param update the update (dense or structured)
     * @param h module inputs collected from the base model, float [n, in], n >= 1
     * @param eps guard of {@code CSD_un}
     * @return the three drift values
     */
    public static CapabilityDrift of(Tensor w0, WeightUpdate update, Tensor h, double eps) {
        TensorMatrices.requireMatrix(h, "module inputs");
        if (h.size(1) != update.in() || w0.size(1) != update.in() || w0.size(0) != update.out()) {
            throw new DiagnosticInputException("inputs " + TensorMatrices.shape(h) + ", base weight "
                    + TensorMatrices.shape(w0) + " and a " + update.out() + "x" + update.in() + " update do not fit");
        }
        long n = h.size(0);
        if (n < 1) {
            throw new DiagnosticInputException("drift needs at least one input row");
        }
        Tensor hf = h.to(torch.ScalarType.Float).contiguous();
        double moved = meanSquaredRowNorm(update.apply(hf), n);
        double base = meanSquaredRowNorm(hf.mm(w0.to(torch.ScalarType.Float).t()), n);
        double inputs = meanSquaredRowNorm(hf, n);
        return new CapabilityDrift(n, moved, moved / (base + REL_EPS),
                moved / ((update.frobeniusSquared() + eps) * (inputs + eps)));
    }

    /** Ratio general-over-target of {@code CSD_rel}: {@code CSD_rel(G) / (CSD_rel(T) + eps)}. */
    public static double ratioRel(CapabilityDrift general, CapabilityDrift target, double eps) {
        return general.csdRel / (target.csdRel + eps);
    }

    /** Ratio general-over-target of {@code CSD_un}: {@code CSD_un(G) / (CSD_un(T) + eps)}. */
    public static double ratioUn(CapabilityDrift general, CapabilityDrift target, double eps) {
        return general.csdUn / (target.csdUn + eps);
    }

    private static double meanSquaredRowNorm(Tensor rows, long n) {
        return rows.to(torch.ScalarType.Double).square().sum().item_double() / n;
    }
}
