package org.peftarena.analysis.weights;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.stats.EffectiveRank;
import org.peftarena.analysis.tensor.TensorMatrices;

/** An update with no structure to exploit (full finetuning): every reduction works on dW itself. */
public final class DenseUpdate implements WeightUpdate {
    private final Tensor dw;

    /** @param dw the update, any float dtype [out, in]; kept as float32 */
    public DenseUpdate(Tensor dw) {
        TensorMatrices.requireMatrix(dw, "weight update");
        this.dw = dw.to(torch.ScalarType.Float).contiguous();
    }

    /**
     * @param w0 pretrained weight, float [out, in]
     * @param w1 finetuned weight, float [out, in]
     * @return {@code W1 - W0}
     */
    public static DenseUpdate between(Tensor w0, Tensor w1) {
        return new DenseUpdate(w1.to(torch.ScalarType.Float).sub(w0.to(torch.ScalarType.Float)));
    }

    @Override
    public long out() {
        return dw.size(0);
    }

    @Override
    public long in() {
        return dw.size(1);
    }

    @Override
    public String structure() {
        return "dense";
    }

    @Override
    public Tensor dense() {
        return dw;
    }

    @Override
    public Tensor apply(Tensor h) {
        return h.mm(dw.t());
    }

    @Override
    public Tensor applyTransposed(Tensor g) {
        return g.mm(dw);
    }

    @Override
    public double frobeniusSquared() {
        double f = TensorMatrices.frobenius(dw);
        return f * f;
    }

    @Override
    public double effectiveRank(BaseSpectrum base) {
        return EffectiveRank.ofSingularValues(TensorMatrices.toDoubles(TensorMatrices.singularValues(dw)));
    }

    @Override
    public UpdateProfiles profiles(BaseSpectrum base) {
        Tensor dwv = dw.mm(base.v()); // [out, k], column i = dW v_i
        return new UpdateProfiles(TensorMatrices.columnSums(base.u().mul(dwv)), TensorMatrices.columnNorms(dwv));
    }
}
