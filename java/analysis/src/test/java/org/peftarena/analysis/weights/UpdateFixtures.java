package org.peftarena.analysis.weights;

import org.peftarena.analysis.reference.DMatrixTensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.tensor.TensorMatrices;

/** Seeded inputs shared by the weight-space tests. */
final class UpdateFixtures {
    private UpdateFixtures() {}

    static Tensor gaussian(int rows, int cols, long seed, double scale) {
        return DMatrixTensors.of(DMatrix.gaussian(rows, cols, seed).scale(scale), torch.ScalarType.Float);
    }

    /** Skew blocks Q = Mq - Mq^T with small random entries, float [nb, b, b]. */
    static Tensor skewBlocks(int nb, int b, long seed, double scale) {
        Tensor m = gaussian(nb * b, b, seed, scale).reshape(nb, b, b);
        return m.sub(m.transpose(1, 2));
    }

    /** Exact Cayley {@code (I + Q)^-1 (I - Q)} per block: orthogonal. */
    static Tensor exactCayley(Tensor q) {
        Tensor eye = torch.eye(q.size(1)).unsqueeze(0).expand(q.sizes().vec().get());
        Tensor qd = q.to(torch.ScalarType.Double);
        Tensor ed = eye.to(torch.ScalarType.Double);
        return torch.linalg_solve(ed.add(qd), ed.sub(qd), true).to(torch.ScalarType.Float).contiguous();
    }

    /** Cayley-Neumann with 5 terms {@code I + 2Q + 2Q^2 + 2Q^3 + Q^4}: not exactly orthogonal. */
    static Tensor neumann5(Tensor q) {
        Tensor eye = torch.eye(q.size(1)).unsqueeze(0).expand(q.sizes().vec().get());
        Tensor q2 = torch.bmm(q, q);
        Tensor q3 = torch.bmm(q2, q);
        Tensor q4 = torch.bmm(q3, q);
        Tensor two = q.add(q2).add(q3).mul(TensorMatrices.scalar(2));
        return eye.add(two).add(q4).contiguous();
    }
}
