package org.peftarena.analysis.weights;

import java.lang.ref.WeakReference;
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
    private WeakReference<BaseSpectrum> reducedFor = new WeakReference<>(null);
    private BlockRotationReductions reduced;

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
     * {@code normF(dW)^2 / t_1^2} from the singular values of {@code G = S V^T (R_bd^T - I)}
     * (see {@link BlockRotationReductions}).
     */
    @Override
    public double effectiveRank(BaseSpectrum base) {
        BlockRotationReductions r = reductions(base);
        return r.topSquared() <= 0 ? 0 : EffectiveRank.ofNorms(r.frobeniusSquared(), Math.sqrt(r.topSquared()));
    }

    @Override
    public UpdateProfiles profiles(BaseSpectrum base) {
        BlockRotationReductions r = reductions(base);
        return new UpdateProfiles(r.diagonal().clone(), r.energy().clone());
    }

    /**
     * The reductions for {@code base}, computed once and kept while the same spectrum is asked
     * for again (the profiles, the stable rank and the alignment of one analysis share them).
     */
    @SuppressWarnings("ReferenceEquality") // the cached reductions belong to this very BaseSpectrum instance
    private synchronized BlockRotationReductions reductions(BaseSpectrum base) {
        if (base.in() != in() || base.out() != out()) {
            throw new IllegalArgumentException("base spectrum is for a " + base.out() + "x" + base.in()
                    + " weight but the update is " + out() + "x" + in());
        }
        if (reducedFor.get() != base) {
            reduced = BlockRotationReductions.compute(base, blocks);
            reducedFor = new WeakReference<>(base);
        }
        return reduced;
    }

    @Override
    public Optional<Alignment> structuredAlignment(BaseSpectrum base, AlignmentOptions options) {
        if (BlockDiagonal.orthogonalityError(blocks) > ORTHOGONAL_TOLERANCE) {
            return Optional.empty();
        }
        // v_i(W1) = R_bd v_i, so SVA_i = abs(v_i^T R_bd v_i)
        return Optional.of(SingularAlignment.of(reductions(base).alignment().clone(), 0, options));
    }
}
