package org.peftarena.engine.peft.oft;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.engine.bench.TorchTensors;

/**
 * Turns OFT's packed strict-upper-triangle vectors into block rotations with differentiable
 * LibTorch operations, exactly as HF PEFT does (skew matrix without a factor 1/2).
 */
public final class CayleyTransform {
    private CayleyTransform() {}

    /**
     * Row-major flat indices {@code i*b + j} of the strict upper triangle ({@code triu_indices(b, b, 1)}).
     *
     * @return int64 {@code (b(b-1)/2)}
     */
    public static Tensor triangleIndices(int b) {
        long[] idx = new long[b * (b - 1) / 2];
        int k = 0;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                idx[k++] = (long) i * b + j;
            }
        }
        return TorchTensors.fromLongs(idx, idx.length);
    }

    /**
     * Skew matrices {@code Q = Mq - Mq^T}, {@code Mq} holding the packed vector in its strict upper triangle.
     *
     * @param packed float32 {@code (blocks, b(b-1)/2)}
     * @return float32 {@code (blocks, b, b)}
     */
    public static Tensor skew(Tensor packed, int b) {
        long blocks = packed.size(0);
        Tensor flat = torch.zeros(new long[] {blocks, (long) b * b}, new TensorOptions(packed.scalar_type()));
        Tensor upper = flat.index_copy(1, triangleIndices(b), packed).view(blocks, b, b);
        return upper.sub(upper.transpose(1, 2));
    }

    /**
     * The block rotations of a packed OFT parameter.
     *
     * @param packed float32 {@code (blocks, b(b-1)/2)}
     * @param variant Neumann series (approximates {@code (I+Q)(I-Q)^-1}) or exact {@code (I-Q)(I+Q)^-1}
     * @param terms Neumann terms (ignored by the exact variant)
     * @return float32 {@code (blocks, b, b)}
     */
    public static Tensor rotations(Tensor packed, int b, CayleyVariant variant, int terms) {
        Tensor q = skew(packed, b);
        return variant == CayleyVariant.EXACT ? exact(q) : neumann(q, terms);
    }

    /**
     * HF PEFT's series: {@code I + 2Q + 2Q^2 + ... + 2Q^(n-2) + Q^(n-1)} for {@code n >= 4} terms
     * (for n = 2 it is {@code I + 2Q}; n = 3 coincides with n = 4, as in HF PEFT).
     *
     * @param q float32 {@code (blocks, b, b)} skew matrices
     */
    public static Tensor neumann(Tensor q, int terms) {
        long b = q.size(1);
        Tensor r = torch.eye(b, new TensorOptions(q.scalar_type())).unsqueeze(0).expand(q.sizes().vec().get());
        if (terms > 1) {
            r = r.add(q, new Scalar(2.0));
        }
        if (terms > 2) {
            Tensor power = torch.bmm(q, q);
            r = r.add(power, new Scalar(2.0));
            for (int i = 3; i < terms - 1; i++) {
                power = torch.bmm(power, q);
                r = r.add(power, new Scalar(2.0));
            }
            r = r.add(torch.bmm(power, q));
        }
        return r;
    }

    /**
     * {@code R = (I - Q)(I + Q)^-1}, solved as {@code X (I + Q) = I - Q}.
     *
     * @param q float32 {@code (blocks, b, b)} skew matrices
     */
    public static Tensor exact(Tensor q) {
        long b = q.size(1);
        Tensor eye = torch.eye(b, new TensorOptions(q.scalar_type())).unsqueeze(0).expand(q.sizes().vec().get());
        return torch.linalg_solve(eye.add(q), eye.sub(q), false);
    }
}
