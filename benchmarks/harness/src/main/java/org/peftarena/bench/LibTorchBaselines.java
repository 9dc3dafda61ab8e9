package org.peftarena.bench;

import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The LibTorch calls a user would make today for each PEFT-Arena kernel, written the way HF PEFT
 * and common Python code write them. Each is the baseline our kernels are timed against.
 */
public final class LibTorchBaselines {
    private LibTorchBaselines() {}

    /**
     * Skew matrices from packed strict-upper-triangle vectors, as HF PEFT builds them.
     *
     * @param packed float32 [batch, b(b-1)/2]
     * @param triuFlat int64 [b(b-1)/2] flat indices {@code row*b+col} of triu_indices(b, b, 1)
     * @return float32 [batch, b, b] {@code Q = Mq - Mq^T}
     */
    public static Tensor skew(Tensor packed, Tensor triuFlat, int b) {
        long batch = packed.size(0);
        Tensor mq = torch.zeros(new long[] {batch, (long) b * b}, floatsOn(packed));
        mq.index_copy_(1, triuFlat.to(packed.device(), torch.ScalarType.Long), packed);
        Tensor m3 = mq.view(batch, b, b);
        return m3.sub(m3.transpose(1, 2));
    }

    /** Exact Cayley as HF PEFT computes it: {@code solve(I + Q, I - Q, left=false)}; [batch,b,b]. */
    public static Tensor cayleyExact(Tensor packed, Tensor triuFlat, int b) {
        Tensor q = skew(packed, triuFlat, b);
        Tensor eye = torch.eye(b, floatsOn(packed)).unsqueeze(0).expand(q.sizes().vec().get());
        return torch.linalg_solve(eye.add(q), eye.sub(q), false);
    }

    /** Cayley-Neumann with {@code terms} terms as HF PEFT's bmm chain; [batch,b,b]. */
    public static Tensor cayleyNeumann(Tensor packed, Tensor triuFlat, int b, int terms) {
        Tensor q = skew(packed, triuFlat, b);
        long batch = packed.size(0);
        Tensor r = torch.eye(b, floatsOn(packed)).unsqueeze(0).repeat(batch, 1, 1);
        if (terms > 1) {
            r.add_(q, new org.bytedeco.pytorch.Scalar(2.0));
            if (terms > 2) {
                Tensor q2 = torch.bmm(q, q);
                r.add_(q2, new org.bytedeco.pytorch.Scalar(2.0));
                Tensor p = q2;
                for (int i = 3; i < terms - 1; i++) {
                    p = torch.bmm(p, q);
                    r.add_(p, new org.bytedeco.pytorch.Scalar(2.0));
                }
                p = torch.bmm(p, q);
                r.add_(p);
            }
        }
        return r;
    }

    /** Full batched SVD (U, S, Vh), {@code full_matrices=false}. */
    public static T_TensorTensorTensor_T svd(Tensor a) {
        return torch.linalg_svd(a, false, new StringViewOptional());
    }

    /** Singular values only. */
    public static Tensor svdvals(Tensor a) {
        return torch.linalg_svdvals(a);
    }

    /**
     * The usual Procrustes computation: {@code M = X1^T X0; U,S,Vh = svd(M); R = U Vh;
     * normF(X1 R - X0)}.
     *
     * @param x1 float32 [n, d]
     * @param x0 float32 [n, d]
     */
    public static double procrustesResidual(Tensor x1, Tensor x0) {
        Tensor m = torch.mm(x1.t(), x0);
        T_TensorTensorTensor_T usv = svd(m);
        Tensor r = torch.mm(usv.get0(), usv.get2());
        return torch.mm(x1, r).sub(x0).norm().item_double();
    }

    /**
     * The usual batched Procrustes: {@code M = X1^T X0} per problem, {@code R = U Vh} from its SVD, and the
     * residuals {@code normF(X1 R - X0)}.
     *
     * @param x1 float32 [batch, rows, d]
     * @param x0 float32 [batch, rows, d]
     * @return residuals [batch]
     */
    public static Tensor procrustesBatched(Tensor x1, Tensor x0) {
        Tensor m = torch.bmm(x1.transpose(1, 2), x0);
        T_TensorTensorTensor_T usv = svd(m);
        Tensor r = torch.bmm(usv.get0(), usv.get2());
        return torch.bmm(x1, r).sub(x0).square().sum(new long[] {1, 2}).sqrt();
    }

    /** Float32 on the tensor's device. */
    private static org.bytedeco.pytorch.TensorOptions floatsOn(Tensor t) {
        return new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Float)
                .device(new org.bytedeco.pytorch.DeviceOptional(t.device()));
    }

    /**
     * OFT input-centric block rotation with bmm over reshaped blocks.
     *
     * @param x float32 [rows, n]
     * @param r float32 [n/b, b, b]
     * @return float32 [rows, n], block j equal to {@code x_j R_j}
     */
    public static Tensor blockRotate(Tensor x, Tensor r, int b) {
        long rows = x.size(0);
        long n = x.size(1);
        Tensor xb = x.view(rows, n / b, b).transpose(0, 1); // [nb, rows, b]
        return torch.bmm(xb, r).transpose(0, 1).reshape(rows, n);
    }
}
