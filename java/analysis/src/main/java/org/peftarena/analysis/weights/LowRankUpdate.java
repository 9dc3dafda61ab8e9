package org.peftarena.analysis.weights;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.stats.EffectiveRank;
import org.peftarena.analysis.tensor.TensorMatrices;

/**
 * A LoRA-family update {@code dW = scale * B A}: nothing of size out x in is ever formed. The
 * singular values come from the r x r core {@code R_B R_A^T} of the reduced QR factorisations
 * {@code B = Q_B R_B}, {@code A^T = Q_A R_A}; the profiles from {@code (U^T B)} and {@code (A V)}.
 */
public final class LowRankUpdate implements WeightUpdate {
    private final Tensor b;
    private final Tensor a;
    private final double scale;

    /**
     * @param b the up projection, float [out, r]
     * @param a the down projection, float [r, in]
     * @param scale the factor in front of {@code B A} (for LoRA {@code alpha / r})
     */
    public LowRankUpdate(Tensor b, Tensor a, double scale) {
        TensorMatrices.requireMatrix(b, "B");
        TensorMatrices.requireMatrix(a, "A");
        if (b.size(1) != a.size(0)) {
            throw new IllegalArgumentException("B is " + TensorMatrices.shape(b) + " and A is "
                    + TensorMatrices.shape(a) + ": their inner dimensions differ");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite, got " + scale);
        }
        this.b = b.to(torch.ScalarType.Float).contiguous();
        this.a = a.to(torch.ScalarType.Float).contiguous();
        this.scale = scale;
    }

    /** @return the rank r of the factors */
    public long rank() {
        return a.size(0);
    }

    @Override
    public long out() {
        return b.size(0);
    }

    @Override
    public long in() {
        return a.size(1);
    }

    @Override
    public String structure() {
        return "low-rank";
    }

    @Override
    public Tensor dense() {
        return b.mm(a).mul(TensorMatrices.scalar(scale));
    }

    @Override
    public Tensor apply(Tensor h) {
        return h.mm(a.t()).mm(b.t()).mul(TensorMatrices.scalar(scale));
    }

    @Override
    public Tensor applyTransposed(Tensor g) {
        return g.mm(b).mm(a).mul(TensorMatrices.scalar(scale));
    }

    /** @return the singular values of dW, descending, double [min(r, out, in)] */
    public double[] singularValues() {
        Tensor core = coreFactor(b).mm(coreFactor(a.t()).t());
        double[] t = TensorMatrices.toDoubles(TensorMatrices.singularValues(core));
        for (int i = 0; i < t.length; i++) {
            t[i] *= Math.abs(scale);
        }
        return t;
    }

    /** The triangular factor of the reduced QR, in double: r x r work is free and saves digits. */
    private static Tensor coreFactor(Tensor m) {
        return TensorMatrices.qrR(m.to(torch.ScalarType.Double).contiguous());
    }

    @Override
    public double frobeniusSquared() {
        double s = 0;
        for (double t : singularValues()) {
            s += t * t;
        }
        return s;
    }

    @Override
    public double effectiveRank(BaseSpectrum base) {
        return EffectiveRank.ofSingularValues(singularValues());
    }

    @Override
    public UpdateProfiles profiles(BaseSpectrum base) {
        Tensor ub = base.u().t().mm(b);              // [k, r]
        Tensor av = a.mm(base.v());                  // [r, k], column i = A v_i
        double[] diagonal = TensorMatrices.columnSums(ub.t().mul(av)); // sum_j (U^T B)_ij (A V)_ji
        // norm2(B x) = norm2(R_B x) with B = Q_B R_B, so E needs only the r x r factor
        double[] energy = TensorMatrices.columnNorms(coreFactor(b).mm(av.to(torch.ScalarType.Double)));
        for (int i = 0; i < diagonal.length; i++) {
            diagonal[i] *= scale;
            energy[i] *= Math.abs(scale);
        }
        return new UpdateProfiles(diagonal, energy);
    }
}
