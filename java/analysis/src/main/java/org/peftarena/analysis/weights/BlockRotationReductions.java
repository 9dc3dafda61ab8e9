package org.peftarena.analysis.weights;

import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.stats.LanczosTopEigenvalue;
import org.peftarena.analysis.tensor.SingleThreadedBlas;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every reduction of an OFT update {@code dW = W0 (R_bd^T - I)} the weight diagnostics need, with
 * {@code W0 = U S V^T}, computed together from the rows {@code v_i^T} of {@code V^T} (k rows of
 * length in) so that the two products with the blocks {@code R_j - I} are done once:
 * <ul>
 *   <li>{@code d_i^T = v_i^T (R_bd - I)}, i.e. {@code d_i = (R_bd^T - I) v_i}; one k x in x k
 *       product gives {@code C = [d_i^T v_j]}: {@code E(i) = norm2(dW v_i) = norm2(S V^T d_i)}
 *       from its rows (U has orthonormal columns), the diagonal
 *       {@code u_i^T dW v_i = s_i v_i^T d_i = s_i C_ii}, and the alignment
 *       {@code abs(v_i^T R_bd v_i) = abs(v_i^T v_i + C_ii)};</li>
 *   <li>{@code g_i^T = v_i^T (R_bd - I)^T}, the rows of {@code V^T (R_bd^T - I)}: {@code dW = U G}
 *       with {@code G = S V^T (R_bd^T - I)}, so dW and G have the same singular values,
 *       {@code normF(dW)^2 = sum_i s_i^2 norm2(g_i)^2}, and {@code t_1^2} is the top eigenvalue of
 *       {@code G G^T = S [g_i^T g_j] S}, found by Lanczos on k-vectors: on the formed k x k Gram matrix
 *       for small k, else with two matrix-vector products with the k x in matrix per step (then
 *       the k x k matrix is formed and decomposed only when Lanczos does not converge).</li>
 * </ul>
 *
 * @param diagonal {@code u_i^T dW v_i}, double [k]
 * @param energy {@code norm2(dW v_i)}, double [k]
 * @param frobeniusSquared {@code normF(dW)^2}
 * @param topSquared {@code t_1^2}, the square of the largest singular value of dW
 * @param alignment {@code abs(v_i^T R_bd v_i)}, double [k] (the SVA when the blocks are orthogonal)
 */
record BlockRotationReductions(double[] diagonal, double[] energy, double frobeniusSquared, double topSquared,
                               double[] alignment) {
    private static final Logger LOG = LoggerFactory.getLogger(BlockRotationReductions.class);
    private static final int LANCZOS_STEPS = 400;
    private static final double LANCZOS_TOLERANCE = 1e-7;
    private static final long LANCZOS_SEED = 20240917L;
    /**
     * Up to this many multiply-adds in the k x in x k product the whole reduction runs on one BLAS
     * thread: each product then takes tens of milliseconds, and splitting it costs more in
     * synchronisation than it saves (on a loaded machine, several times the CPU time).
     */
    static final double SINGLE_THREAD_WORK = 8e9;
    /**
     * Up to this k the Gram matrix {@code G' G'^T} (k x k) is formed by a symmetric rank-k update
     * and Lanczos runs on it, several times cheaper than two passes over the k x in rows per step;
     * above it Lanczos multiplies by the rows (at k = 3584, in = 18944 both cost about the same,
     * and the rows need no k x k matrix).
     */
    static final int GRAM_MAX_K = 1024;

    /**
     * @param base spectrum of W0, {@code base.in() == nb * b}
     * @param blocks rotation blocks, float [nb, b, b]
     * @return the reductions
     */
    static BlockRotationReductions compute(BaseSpectrum base, Tensor blocks) {
        return compute(base, blocks, SINGLE_THREAD_WORK, GRAM_MAX_K);
    }

    /**
     * @param singleThreadWork see {@link #SINGLE_THREAD_WORK}
     * @param gramMaxK see {@link #GRAM_MAX_K}
     */
    static BlockRotationReductions compute(BaseSpectrum base, Tensor blocks, double singleThreadWork, int gramMaxK) {
        double work = (double) base.k() * base.k() * base.in();
        return work <= singleThreadWork ? SingleThreadedBlas.run(() -> reduce(base, blocks, gramMaxK))
                : reduce(base, blocks, gramMaxK);
    }

    private static BlockRotationReductions reduce(BaseSpectrum base, Tensor blocks, int gramMaxK) {
        Tensor s = base.s().to(torch.ScalarType.Float);
        double[] sv = base.singularValues();
        int k = base.k();
        // blocks R_j - I: one block product gives (R_bd^T - I) v_i without subtracting long vectors
        Tensor minusEye = blocks.sub(torch.eye(blocks.size(1)).to(torch.ScalarType.Float)).contiguous();
        try (Tensor vt = base.v().t().contiguous()) {                          // rows v_i^T
            double[] diagonal = new double[k];
            double[] alignment = rowNorms(vt);
            double[] energy;
            try (Tensor d = BlockDiagonal.timesRight(vt, minusEye, false);      // rows v_i^T (R - I) = d_i^T
                 Tensor cross = d.mm(vt.t())) {                                 // [k, k], (i, j) = d_i^T v_j
                double[] c = TensorMatrices.toDoubles(cross.diagonal());
                for (int i = 0; i < k; i++) {
                    diagonal[i] = sv[i] * c[i];
                    // v_i^T R_bd v_i = v_i^T v_i + v_i^T (R_bd - I) v_i, the latter a transpose of d_i^T v_i
                    alignment[i] = Math.abs(alignment[i] * alignment[i] + c[i]);
                }
                cross.mul_(s.unsqueeze(0));
                energy = rowNorms(cross);
            }
            try (Tensor g = BlockDiagonal.timesRight(vt, minusEye, true)) {     // rows v_i^T (R - I)^T = g_i^T
                double[] rows = rowNorms(g);
                double frobenius = 0;
                for (int i = 0; i < k; i++) {
                    frobenius += sv[i] * sv[i] * rows[i] * rows[i];
                }
                double top = frobenius == 0 ? 0 : topEigenvalue(g, s, base, gramMaxK);
                return new BlockRotationReductions(diagonal, energy, frobenius, top, alignment);
            }
        }
    }

    /** @return {@code t_1^2 = lambda_max(S G' G'^T S)} for the rows {@code g} of {@code G'}, float [k, in] */
    private static double topEigenvalue(Tensor g, Tensor s, BaseSpectrum base, int gramMaxK) {
        Tensor gram = base.k() <= gramMaxK ? TensorMatrices.rowGram(g) : null;   // [k, k], (i, j) = g_i^T g_j
        // G G^T x = S G' (G'^T (S x)): memory-bound matrix-vector products, one BLAS thread
        UnaryOperator<double[]> operator = x -> {
            Tensor sx = TensorMatrices.vector(x).to(torch.ScalarType.Float);
            sx.mul_(s);
            Tensor z = gram != null ? gram.mv(sx) : g.mv(g.t().mv(sx));
            z.mul_(s);
            return TensorMatrices.toDoubles(z);
        };
        OptionalDouble top = SingleThreadedBlas.run(() -> LanczosTopEigenvalue.compute(base.k(), operator,
                LANCZOS_STEPS, LANCZOS_TOLERANCE, LANCZOS_SEED));
        if (top.isPresent()) {
            return top.getAsDouble();
        }
        LOG.debug("Lanczos did not converge in {} steps for a {}x{} OFT update; full decomposition", LANCZOS_STEPS,
                base.out(), base.in());
        Tensor sd = base.s().to(torch.ScalarType.Double);
        Tensor full = (gram != null ? gram : g.mm(g.t())).to(torch.ScalarType.Double).mul(sd.unsqueeze(1))
                .mul(sd.unsqueeze(0));
        return Math.max(0, torch.linalg_eigvalsh(full).max().item_double());
    }

    /** @return Euclidean norms of the rows of a float [k, n] matrix, double [k] */
    private static double[] rowNorms(Tensor t) {
        return TensorMatrices.toDoubles(t.norm(new org.bytedeco.pytorch.ScalarOptional(
                TensorMatrices.scalar(2.0)), new long[] {1}, false));
    }
}
