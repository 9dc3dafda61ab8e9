package org.peftarena.peft.oft;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.model.OwnedPreHook;
import org.peftarena.model.ReplacingGradientHook;
import org.peftarena.kernels.KernelException;
import org.peftarena.kernels.CayleyNeumannSeries;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.kernels.KernelOps;

/**
 * Turns OFT's packed strict-upper-triangle vectors into block rotations with differentiable
 * LibTorch operations, exactly as HF PEFT does (skew matrix without a factor 1/2).
 */
public final class CayleyTransform {
    private static final KernelOps KERNELS = KernelOps.cpu();
    private static final org.peftarena.model.TensorKernels TENSOR_KERNELS = org.peftarena.model.TensorKernels.create();

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
        return HostTensors.longs(idx, idx.length);
    }

    /**
     * Skew matrices {@code Q = Mq - Mq^T}, {@code Mq} holding the packed vector in its strict upper triangle.
     *
     * @param packed float32 {@code (blocks, b(b-1)/2)}
     * @return float32 {@code (blocks, b, b)}
     */
    public static Tensor skew(Tensor packed, int b) {
        long blocks = packed.size(0);
        Tensor flat = torch.zeros(new long[] {blocks, (long) b * b}, packed.options());
        Tensor upper = flat.index_copy(1, Devices.on(packed.device(), triangleIndices(b)), packed).view(blocks, b, b);
        return upper.sub(upper.transpose(1, 2));
    }

    /**
     * The block rotations of a packed OFT parameter.
     *
     * @param packed float32 {@code (blocks, b(b-1)/2)}
     * @param variant Neumann series with its terms (approximates {@code (I+Q)(I-Q)^-1}) or exact {@code (I-Q)(I+Q)^-1}
     * @return float32 {@code (blocks, b, b)}
     */
    public static Tensor rotations(Tensor packed, int b, CayleyVariant variant) {
        Tensor q = skew(packed, b);
        return variant.isExact() ? exact(q) : neumann(q, variant.terms());
    }

    /**
     * HF PEFT's series: {@code I + 2Q + 2Q^2 + ... + 2Q^(n-2) + Q^(n-1)} for {@code n >= 4} terms
     * (for n = 2 it is {@code I + 2Q}; n = 3 coincides with n = 4, as in HF PEFT). Evaluated by
     * Paterson-Stockmeyer with the same split as the native kernel: 5 terms take 2 batched products
     * ({@code I + 2Q + Q^2 (2I + 2Q + Q^2)}) instead of HF PEFT's 3, in the forward and the backward pass.
     *
     * @param q float32 {@code (blocks, b, b)} skew matrices
     */
    public static Tensor neumann(Tensor q, int terms) {
        long b = q.size(1);
        Tensor eye = torch.eye(b, q.options()).unsqueeze(0).expand(q.sizes().vec().get());
        CayleyNeumannSeries series = CayleyNeumannSeries.of(terms);
        int d = series.degree();
        if (d == 0) {
            return eye.clone();
        }
        int s = series.split();
        Tensor[] powers = new Tensor[Math.min(s, d) + 1];
        powers[1] = q;
        for (int i = 2; i < powers.length; i++) {
            powers[i] = torch.bmm(powers[i - 1], q);
        }
        if (d <= s) {
            return chunk(eye, powers, 0, d, series);
        }
        int m = d / s;
        Tensor acc = d == m * s ? null : chunk(eye, powers, m * s, d, series);
        for (int j = m - 1; j >= 0; j--) {
            Tensor top = acc == null ? powers[s].mul(new Scalar(series.coefficient(d))) : torch.bmm(powers[s], acc);
            acc = top.add(chunk(eye, powers, j * s, Math.min(j * s + s - 1, d), series));
        }
        return acc;
    }

    /** {@code sum_{i=from}^{to} c_i Q^(i-from)}. */
    private static Tensor chunk(Tensor eye, Tensor[] powers, int from, int to, CayleyNeumannSeries series) {
        Tensor c = eye.mul(new Scalar(series.coefficient(from)));
        for (int i = from + 1; i <= to; i++) {
            c = c.add(powers[i - from], new Scalar(series.coefficient(i)));
        }
        return c;
    }

    /**
     * {@code R = (I - Q)(I + Q)^-1}. For float32 blocks on the CPU or a CUDA device within the kernels' block-size limits
     * the value comes from the native exact Cayley kernel and the gradient from its vector-Jacobian product (inside a
     * {@code PointerScope}), or else from the identity {@code dR = -1/2 (R + I) dQ (R + I)}
     * ({@code (I + Q)^-1 = (R + I)/2}), attached as {@code R0 - 1/2 (R0 + I)(Q - Q.detach())(R0 + I)}: the
     * same value and the exact first derivative, with two batched products instead of a batched LU
     * solve and its backward ({@link #kernelExact}). Other tensors are solved as {@code X (I + Q) = I - Q} by LibTorch.
     *
     * @param q float32 {@code (blocks, b, b)} skew matrices
     */
    public static Tensor exact(Tensor q) {
        Tensor r = kernelExact(q);
        return r != null ? r : exactSolve(q);
    }

    /**
     * The native-kernel form of {@link #exact(Tensor)} (the CPU kernel, or the CUDA one for CUDA tensors), or null
     * when it does not apply (not float32 on the CPU or CUDA, block size outside the kernel's limits, or entries the
     * CPU kernel rejects, e.g. non-finite ones).
     *
     * <p>Its gradient, when {@code q} needs one: inside a {@code PointerScope} (the trainers open one per step) the same
     * kernels' vector-Jacobian product, through a pre-hook on a {@code clone()} of {@code q} that carries the value
     * ({@link VjpHook}, the pattern of {@link NativeBlockRotation}): {@code dL/dQ} is the skew-symmetric part of
     * {@code -1/2 M^T dR M^T}, {@code M = R + I}, which is all of it that reaches a skew-symmetric {@code Q} made from
     * its generators (OFT's packed vector, BOFT's {@code (G - G^T)/2}). Outside a scope, where nothing would keep the
     * hook reachable, LibTorch's two batched products on the surrogate {@code R0 - 1/2 M (Q - Q.detach()) M}.
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    static Tensor kernelExact(Tensor q) {
        long blocks = q.size(0);
        int b = Math.toIntExact(q.size(1));
        if (blocks == 0 || !KernelLimits.cayleyBlockSupported(b) || q.scalar_type().intern() != torch.ScalarType.Float
                || !(q.device().is_cpu() || q.is_cuda())) {
            return null;
        }
        Tensor r0;
        Tensor packed;
        try (NoGradGuard g = new NoGradGuard()) {
            packed = q.detach().reshape(blocks, (long) b * b)
                    .index_select(1, Devices.on(q.device(), triangleIndices(b))).contiguous();
            try {
                r0 = kernelRotations(packed, b, CayleyVariant.EXACT);
            } catch (KernelException e) {
                KernelFallback.process().report("exact Cayley transform", e);
                return null;
            }
        }
        if (!q.requires_grad() || !GradMode.is_enabled()) {
            return r0;
        }
        if (OwnedPreHook.held()) {
            Tensor r = q.clone(); // its node hands dL/dQ straight to q: the hook puts the VJP there
            if (r.is_contiguous()) {
                try (NoGradGuard g = new NoGradGuard()) {
                    r.copy_(r0);
                }
                new VjpHook(packed, r0, b).addTo(r.grad_fn());
                return r;
            }
        }
        Tensor m = r0.add(torch.eye(b).to(r0.device(), torch.ScalarType.Float).unsqueeze(0));
        return r0.sub(torch.bmm(torch.bmm(m, q.sub(q.detach())), m), new Scalar(0.5));
    }

    /**
     * The blocks of contiguous packed generators on the native Cayley kernel: the CUDA kernel on LibTorch's current stream
     * for CUDA tensors (and CPU ones in tests, {@link NativeBlockRotation#viaTensorKernels}), else the host kernel.
     *
     * @param packed float32 {@code (blocks, b(b-1)/2)}, contiguous
     * @return float32 {@code (blocks, b, b)} on {@code packed}'s device
     * @throws KernelException when the kernel refuses (the host kernel checks that entries are finite)
     */
    static Tensor kernelRotations(Tensor packed, int b, CayleyVariant variant) throws KernelException {
        if (NativeBlockRotation.viaTensorKernels(packed)) {
            return TENSOR_KERNELS.cayley(packed, b, variant, 1f);
        }
        Tensor r = torch.empty(packed.size(0), b, b);
        KERNELS.cayley(HostTensors.address(packed), packed.size(0), b, variant, 1f, HostTensors.address(r));
        return r;
    }

    /**
     * The native kernel's vector-Jacobian product of {@link #kernelRotations}: from {@code dL/dR} to the packed
     * generators' gradient, on the same device and kernels.
     *
     * @param packed float32 {@code (blocks, b(b-1)/2)}, contiguous
     * @param r the rotations the forward pass made (read by the exact variant)
     * @param dR float32 {@code (blocks, b, b)}, contiguous
     * @return float32 {@code (blocks, b(b-1)/2)}
     */
    static Tensor kernelVjp(Tensor packed, Tensor r, Tensor dR, int b, CayleyVariant variant) {
        if (NativeBlockRotation.viaTensorKernels(packed)) {
            return TENSOR_KERNELS.cayleyVjp(packed, r, dR, b, variant);
        }
        Tensor dq = torch.empty(packed.size(0), packed.size(1));
        KERNELS.cayleyVjp(HostTensors.address(packed), HostTensors.address(r), HostTensors.address(dR), packed.size(0), b, variant,
                HostTensors.address(dq));
        return dq;
    }

    /**
     * The backward of {@link #kernelExact}'s hooked form: replaces {@code dL/dR} by {@code dL/dQ}, the skew-symmetric
     * matrices holding half the kernel's packed vector-Jacobian product above the diagonal.
     */
    private static final class VjpHook extends ReplacingGradientHook {
        private final Tensor packed;
        private final Tensor r;
        private final int b;

        VjpHook(Tensor packed, Tensor r, int b) {
            super();
            this.packed = packed;
            this.r = r;
            this.b = b; // packed and r are this hook's own tensors: nothing else can change them in place
        }

        @Override
        @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
        protected Tensor replace(Tensor dr) {
            long blocks = packed.size(0);
            try (NoGradGuard g = new NoGradGuard()) {
                Tensor dy = dr.contiguous();
                if (dy.scalar_type().intern() != torch.ScalarType.Float || dy.numel() != blocks * b * b) {
                    throw new IllegalStateException("exact Cayley transform: gradient of " + dy.numel()
                            + " elements does not match the rotations' " + blocks * b * b);
                }
                Tensor dq = kernelVjp(packed, r, dy.view(blocks, b, b), b, CayleyVariant.EXACT);
                Tensor upper = torch.zeros(new long[] {blocks, (long) b * b}, dq.options())
                        .index_copy(1, Devices.on(dq.device(), triangleIndices(b)), dq).view(blocks, b, b);
                return upper.sub(upper.transpose(1, 2)).mul(new Scalar(0.5));
            }
        }
    }

    /**
     * {@code R = (I - Q)(I + Q)^-1} by LibTorch's batched solve of {@code X (I + Q) = I - Q} (HF PEFT's way).
     *
     * @param q {@code (blocks, b, b)} skew matrices
     */
    public static Tensor exactSolve(Tensor q) {
        long b = q.size(1);
        Tensor eye = torch.eye(b, q.options()).unsqueeze(0).expand(q.sizes().vec().get());
        return torch.linalg_solve(eye.add(q), eye.sub(q), false);
    }
}
