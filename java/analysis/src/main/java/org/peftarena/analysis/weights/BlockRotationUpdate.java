package org.peftarena.analysis.weights;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.stats.EffectiveRank;
import org.peftarena.analysis.stats.LanczosTopEigenvalue;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(BlockRotationUpdate.class);
    private static final int LANCZOS_STEPS = 400;
    private static final double LANCZOS_TOLERANCE = 1e-7;
    private static final long LANCZOS_SEED = 20240917L;
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
     * {@code D' = (R_bd - I) V}: {@code normF(dW)^2 = sum_i s_i^2 norm2(D' e_i)^2}, and
     * {@code t_1^2} is the top eigenvalue of {@code G G^T = S V^T Q V S} with the block-diagonal
     * {@code Q = (R_bd^T - I)(R_bd - I)}, found by Lanczos on k-vectors (two products with V per
     * step). When Lanczos does not converge, the k x k matrix is formed and fully decomposed.
     */
    @Override
    public double effectiveRank(BaseSpectrum base) {
        Tensor v = base.v();
        Tensor dPrime = BlockDiagonal.timesRight(v.t().contiguous(), blocks, true).t().sub(v);
        double[] s = base.singularValues();
        double[] columns = TensorMatrices.columnNorms(dPrime);
        double trace = 0;
        for (int i = 0; i < s.length; i++) {
            trace += s[i] * s[i] * columns[i] * columns[i];
        }
        if (trace == 0) {
            return 0;
        }
        OptionalDouble top = LanczosTopEigenvalue.compute(s.length, gramOperator(base), LANCZOS_STEPS,
                LANCZOS_TOLERANCE, LANCZOS_SEED);
        double t1Squared;
        if (top.isPresent()) {
            t1Squared = top.getAsDouble();
        } else {
            LOG.debug("Lanczos did not converge in {} steps for a {}x{} OFT update; full decomposition", LANCZOS_STEPS,
                    out(), in());
            Tensor sd = base.s().to(torch.ScalarType.Double);
            Tensor gram = dPrime.t().mm(dPrime).to(torch.ScalarType.Double).mul(sd.unsqueeze(1)).mul(sd.unsqueeze(0));
            t1Squared = torch.linalg_eigvalsh(gram).max().item_double();
        }
        return t1Squared <= 0 ? 0 : EffectiveRank.ofNorms(trace, Math.sqrt(t1Squared));
    }

    /** @return {@code x -> S V^T Q V S x} for double [k] vectors */
    private UnaryOperator<double[]> gramOperator(BaseSpectrum base) {
        Tensor v = base.v();
        Tensor vt = v.t().contiguous();
        Tensor s = base.s().to(torch.ScalarType.Float);
        // Q_j = (R_j^T - I)(R_j - I); Q symmetric, so row vectors times Q give Q x
        Tensor eye = torch.eye(blocks.size(1)).to(torch.ScalarType.Float);
        Tensor minusEye = blocks.sub(eye);
        Tensor q = torch.bmm(minusEye.transpose(1, 2), minusEye).contiguous();
        return x -> {
            Tensor sx = TensorMatrices.vector(x).to(torch.ScalarType.Float).mul(s);
            Tensor z = v.mv(sx).unsqueeze(0);
            Tensor qz = BlockDiagonal.timesRight(z, q, false).squeeze(0);
            return TensorMatrices.toDoubles(vt.mv(qz).mul(s));
        };
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
