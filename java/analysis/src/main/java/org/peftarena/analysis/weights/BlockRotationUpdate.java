package org.peftarena.analysis.weights;

import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.stats.EffectiveRank;
import org.peftarena.analysis.tensor.TensorMatrices;

/**
 * An OFT update: merged {@code W1 = W0 R_bd^T}, so {@code dW = W0 (R_bd^T - I)}, with
 * {@code R_bd = blockdiag(R_1..R_nb)} never formed. With {@code W0 = U S V^T}:
 * {@code u_i^T dW v_i = s_i v_i^T (R_bd^T - I) v_i} (because {@code u_i^T W0 = s_i v_i^T}) and
 * {@code norm2(dW v_i) = norm2(S V^T (R_bd^T - I) v_i)} (because U has orthonormal columns).
 * When every block is orthogonal, {@code W1 = U S (R_bd V)^T} is itself an SVD: the singular
 * values and left vectors are unchanged, {@code v_i(W1) = R_bd v_i}, so SVA is
 * {@code abs(v_i^T R_bd v_i)} and there are no intruders.
 */
public final class BlockRotationUpdate implements WeightUpdate {
    /** Largest {@code max abs(R^T R - I)} for which the blocks count as orthogonal. */
    public static final double ORTHOGONAL_TOLERANCE = 1e-5;

    private final Tensor w0;
    private final Tensor blocks;

    /**
     * @param w0 pretrained weight, float [out, in]
     * @param blocks rotation blocks, float [in / b, b, b]
     */
    public BlockRotationUpdate(Tensor w0, Tensor blocks) {
        TensorMatrices.requireMatrix(w0, "base weight");
        BlockDiagonal.requireBlocks(blocks);
        if (blocks.size(0) * blocks.size(1) != w0.size(1)) {
            throw new IllegalArgumentException(blocks.size(0) + " blocks of size " + blocks.size(1)
                    + " do not cover the " + w0.size(1) + " inputs of a " + TensorMatrices.shape(w0) + " weight");
        }
        this.w0 = w0.to(torch.ScalarType.Float).contiguous();
        this.blocks = blocks.to(torch.ScalarType.Float).contiguous();
    }

    @Override
    public long out() {
        return w0.size(0);
    }

    @Override
    public long in() {
        return w0.size(1);
    }

    @Override
    public String structure() {
        return "block-rotation";
    }

    @Override
    public Tensor dense() {
        return BlockDiagonal.timesRight(w0, blocks, true).sub(w0);
    }

    @Override
    public Tensor apply(Tensor h) {
        return BlockDiagonal.timesRight(h, blocks, false).sub(h).mm(w0.t());
    }

    @Override
    public Tensor applyTransposed(Tensor g) {
        Tensor gw = g.mm(w0);
        return BlockDiagonal.timesRight(gw, blocks, true).sub(gw);
    }

    @Override
    public double frobeniusSquared() {
        double f = TensorMatrices.frobenius(dense());
        return f * f;
    }

    /**
     * With {@code G = S V^T (R_bd^T - I)} (so {@code dW = U G}, same singular values) and
     * {@code D' = (R_bd - I) V}: {@code G G^T = S D'^T D' S}, a k x k matrix whose trace is
     * {@code normF(dW)^2} and whose largest eigenvalue is {@code t_1^2}.
     */
    @Override
    public double effectiveRank(BaseSpectrum base) {
        Tensor dPrime = BlockDiagonal.timesRight(base.v().t().contiguous(), blocks, true).t().sub(base.v());
        Tensor s = base.s().to(torch.ScalarType.Double);
        Tensor k = dPrime.t().mm(dPrime).to(torch.ScalarType.Double);
        Tensor gram = k.mul(s.unsqueeze(1)).mul(s.unsqueeze(0));
        double trace = gram.diagonal().sum().item_double();
        double top = torch.linalg_eigvalsh(gram).max().item_double();
        return top <= 0 ? 0 : EffectiveRank.ofNorms(trace, Math.sqrt(top));
    }

    /** @return {@code R_bd^T V}, float [in, k] */
    private Tensor rotatedRightVectors(BaseSpectrum base) {
        return BlockDiagonal.timesRight(base.v().t().contiguous(), blocks, false).t();
    }

    @Override
    public UpdateProfiles profiles(BaseSpectrum base) {
        Tensor v = base.v();
        Tensor d = rotatedRightVectors(base).sub(v);               // [in, k], column i = (R^T - I) v_i
        double[] s = base.singularValues();
        double[] diagonal = TensorMatrices.columnSums(v.mul(d));   // v_i^T (R^T - I) v_i
        for (int i = 0; i < s.length; i++) {
            diagonal[i] *= s[i];
        }
        Tensor m = v.t().mm(d);                                     // [k, k] = V^T (R^T - I) V
        double[] energy = TensorMatrices.columnNorms(m.mul(base.s().unsqueeze(1)));
        return new UpdateProfiles(diagonal, energy);
    }

    @Override
    public Optional<Alignment> structuredAlignment(BaseSpectrum base, AlignmentOptions options) {
        if (BlockDiagonal.orthogonalityError(blocks) > ORTHOGONAL_TOLERANCE) {
            return Optional.empty();
        }
        // v_i(W1) = R_bd v_i and <v_i, R_bd v_i> = <R_bd^T v_i, v_i>
        double[] sva = SingularAlignment.indexMatchedAbsCosines(base.v(), rotatedRightVectors(base));
        return Optional.of(SingularAlignment.of(sva, 0, options));
    }
}
