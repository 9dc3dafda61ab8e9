package org.peftarena.analysis.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Largest eigenvalue of a symmetric positive semi-definite operator given as a product with a block
 * of vectors, {@code X (n, p) -> A X}, by block Krylov iteration with Rayleigh-Ritz on the whole
 * basis (full reorthogonalisation).
 *
 * <p>It is built for operators whose products are memory-bound passes over a large matrix, such as
 * {@code A = M M^T} with M stored as k x in rows. A block of p vectors costs about as much memory
 * traffic as one vector and does p times the arithmetic. The block Krylov space also converges in far
 * fewer passes than single-vector Lanczos when the top eigenvalues are clustered.
 *
 * <p>It stops when the top Ritz pair's residual {@code norm2(A y - theta y)} (exact, from the stored
 * products) is at most {@code tolerance * theta}, which puts an eigenvalue of A within that relative
 * distance of {@code theta}. This is the same criterion as {@link LanczosTopEigenvalue}.
 */
public final class BlockKrylovTopEigenvalue {
    private static final Logger LOG = LoggerFactory.getLogger(BlockKrylovTopEigenvalue.class);
    /** Directions of a new block below this fraction of the images' norm are rounding noise. */
    private static final double RANGE_TOLERANCE = 1e-10;

    private BlockKrylovTopEigenvalue() {}

    /**
     * @param n dimension of the operator
     * @param blockSize vectors per block (p), at least 1
     * @param operator {@code X -> A X} for float64 {@code (n, p)} tensors; A symmetric positive semi-definite
     * @param maxIterations most operator applications
     * @param tolerance relative residual at which to stop, e.g. 1e-7
     * @param seed seed of the random start block
     * @return the largest eigenvalue, or empty when it did not converge within maxIterations
     */
    public static OptionalDouble compute(int n, int blockSize, UnaryOperator<Tensor> operator, int maxIterations,
                                         double tolerance, long seed) {
        if (n <= 0 || blockSize < 1) {
            throw new IllegalArgumentException("need n >= 1 and a block size >= 1, got n = " + n + ", p = " + blockSize);
        }
        int p = Math.min(blockSize, n);
        List<Tensor> basis = new ArrayList<>();
        List<Tensor> images = new ArrayList<>();
        Tensor q = orthonormalColumns(randomBlock(n, p, seed));
        for (int it = 0; it < maxIterations; it++) {
            Tensor aq = operator.apply(q);
            if (aq.size(0) != n || aq.size(1) != q.size(1)) {
                throw new IllegalArgumentException("operator returned " + aq.size(0) + " x " + aq.size(1) + " for " + n
                        + " x " + q.size(1));
            }
            basis.add(q);
            images.add(aq.to(torch.ScalarType.Double));
            Tensor k = torch.cat(new TensorVector(basis.toArray(new Tensor[0])), 1);
            Tensor ak = torch.cat(new TensorVector(images.toArray(new Tensor[0])), 1);
            Tensor h = k.t().mm(ak);
            h = h.add(h.t()).mul(TensorMatrices.scalar(0.5));
            T_TensorTensor_T eig = torch.linalg_eigh(h);
            Tensor values = eig.get0();
            long top = values.size(0) - 1;                      // ascending order
            double theta = values.select(0, top).item_double();
            Tensor y = eig.get1().select(1, top).unsqueeze(1);
            double residual = ak.mm(y).sub(k.mm(y).mul(TensorMatrices.scalar(theta))).norm().item_double();
            boolean exhausted = k.size(1) >= n;
            if (residual <= tolerance * Math.abs(theta) || (theta == 0 && residual == 0) || exhausted) {
                LOG.debug("block Krylov converged after {} of at most {} products (n = {}, p = {})", it + 1,
                        maxIterations, n, p);
                return OptionalDouble.of(Math.max(theta, 0));
            }
            // next block: the newest images, orthogonalised twice against the whole basis; only the
            // directions that are not rounding noise are kept (a deficient block would otherwise be
            // completed by noise that is not orthogonal to the basis)
            long room = n - k.size(1);
            Tensor w = project(aq.to(torch.ScalarType.Double), k);
            Tensor next = rangeBasis(w, RANGE_TOLERANCE * aq.norm().item_double(), room);
            if (next == null) {
                // an invariant subspace: continue from random directions orthogonal to it
                Tensor r = project(randomBlock(n, (int) Math.min(p, room), seed + it + 1), k);
                next = rangeBasis(r, RANGE_TOLERANCE * r.norm().item_double(), room);
                if (next == null) {
                    return OptionalDouble.of(Math.max(theta, 0));
                }
            }
            q = next;
        }
        return OptionalDouble.empty();
    }

    private static Tensor orthonormalColumns(Tensor w) {
        return torch.linalg_qr(w).get0();
    }

    /** {@code w - K K^T w}, twice (one pass loses orthogonality in floating point). */
    private static Tensor project(Tensor w, Tensor k) {
        Tensor r = w;
        for (int pass = 0; pass < 2; pass++) {
            r = r.sub(k.mm(k.t().mm(r)));
        }
        return r;
    }

    /**
     * An orthonormal basis of the directions of {@code w} whose singular values exceed {@code threshold},
     * at most {@code maxColumns} of them, or null when there are none.
     */
    private static Tensor rangeBasis(Tensor w, double threshold, long maxColumns) {
        if (maxColumns <= 0) {
            return null;
        }
        var svd = TensorMatrices.thinSvd(w);
        double[] sv = TensorMatrices.toDoubles(svd.get1());
        int keep = 0;
        while (keep < sv.length && keep < maxColumns && sv[keep] > threshold && sv[keep] > 0) {
            keep++;
        }
        return keep == 0 ? null : svd.get0().narrow(1, 0, keep).contiguous();
    }

    private static Tensor randomBlock(int n, int p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n * p];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble() - 0.5;
        }
        return TensorMatrices.vector(v).view(n, p);
    }
}
