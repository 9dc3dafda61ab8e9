package org.peftarena.peft.oft;

import java.util.function.Consumer;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.KernelLimits;
import org.peftarena.model.HostTensors;
import org.peftarena.model.OwnedPreHook;
import org.peftarena.model.ReplacingGradientHook;
import org.peftarena.model.TensorKernels;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.peftarena.kernels.KernelException;
import org.peftarena.kernels.KernelOps;

/**
 * The input-centric block rotation {@code y = x blockdiag(R_j)} (or {@code R_j^T}) on the native
 * CPU kernels, forward and backward, inside LibTorch's autograd.
 *
 * <p>LibTorch runs this operation as permute, {@code bmm} over tiny {@code rows x b x b} products and
 * permute back, once in the forward and twice in the backward; the native kernels do each pass
 * directly on the row-major data. Autograd is joined without a custom C++ function:
 * <ul>
 *   <li>the output is a {@code clone()} of {@code x} (its node passes gradients straight to
 *       {@code x}) whose values the forward kernel then overwrites;</li>
 *   <li>a pre-hook on that clone node receives {@code dL/dy} and replaces it by
 *       {@code dL/dx = dL/dy blockdiag(R_j^T)} (the backward kernel), so the clone node hands the
 *       right gradient to {@code x};</li>
 *   <li>the blocks' gradient {@code dL/dR_j = X_j^T (dL/dy)_j} (the cross-product kernel) is sent
 *       into the graph that made the blocks (the Cayley transform of the trainable parameters) by a
 *       nested backward call from the hook, keeping that graph so that several rotations sharing
 *       one set of blocks (BOFT's factors) can each send theirs.</li>
 * </ul>
 *
 * <p>OFT itself does not build the blocks' graph: it makes the blocks with the native Cayley kernel and
 * turns their gradient into the parameters' with the kernel's vector-Jacobian product
 * ({@link OftLayer}), through the {@code Consumer} form of {@code apply}.
 *
 * <p>Each hook is a Java object whose C++ peer the autograd node owns and destroys; the JNI weak reference
 * that peer holds to the Java object is deleted when the hook is released (the end of the
 * {@code PointerScope} the forward pass ran in, or its collection), so no handle is left behind per
 * step ({@link OwnedPreHook}). As before, the backward pass must run before then. Only that scope keeps the
 * hook reachable until the backward pass, so outside a scope a pass that needs gradients takes LibTorch's
 * path (null here), as does anything the kernels do not apply to.
 *
 * <p>Applies to float32 tensors on the CPU (host kernels on their addresses) or on a CUDA device (the CUDA kernels
 * through {@link TensorKernels}, queued on LibTorch's current stream, which autograd also sets for the backward
 * pass), with blocks within the kernels' block-size limits (and finite, on the CPU, whose kernel checks); anything
 * else (other dtypes and devices, a kernel that refuses) returns null and the caller uses LibTorch's path. The
 * system property {@code peftarena.oft.nativeRotation=false} turns the native path off (for A/B
 * comparisons).
 */
final class NativeBlockRotation {
    private static final KernelOps KERNELS = KernelOps.cpu();

    private static final TensorKernels TENSOR_KERNELS = TensorKernels.create();

    /**
     * Takes the {@link TensorKernels} form (the CUDA one) for CPU tensors too, so that tests on a machine without a GPU run
     * that path's code, on the same kernels' CPU builds; off in use.
     */
    static volatile boolean tensorKernelsOnCpu = false;

    private NativeBlockRotation() {}

    /** Whether the kernels run through {@link TensorKernels} for this tensor: CUDA tensors (and CPU ones in tests). */
    static boolean viaTensorKernels(Tensor t) {
        return t.is_cuda() || tensorKernelsOnCpu;
    }

    /** Whether the native path is enabled (system property {@code peftarena.oft.nativeRotation}, default true). */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("peftarena.oft.nativeRotation", "true"));
    }

    /**
     * {@code x blockdiag(R_j)} (or {@code R_j^T} when {@code transposed}), differentiable in {@code x}
     * and the blocks, or null when the native kernels do not apply.
     *
     * @param x float32 {@code (..., N*b)}
     * @param blocks float32 {@code (N, b, b)}
     */
    static Tensor apply(Tensor x, Tensor blocks, boolean transposed) {
        boolean needBlocks = GradMode.is_enabled() && blocks.requires_grad();
        return apply(x, blocks, transposed, needBlocks ? dBlocks -> blocks.backward(dBlocks, new BoolOptional(true), false,
                new TensorArrayRefOptional()) : null);
    }

    /**
     * As {@link #apply(Tensor, Tensor, boolean)} with the blocks' gradient handed to {@code blocksGradient}
     * (float32 {@code (N, b, b)}, during the backward pass) instead of to the blocks' own graph.
     *
     * @param blocks float32 {@code (N, b, b)}; only their values are used
     * @param blocksGradient receives {@code dL/dR}, or null when the blocks need no gradient
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    static Tensor apply(Tensor x, Tensor blocks, boolean transposed, Consumer<Tensor> blocksGradient) {
        if (!enabled() || !applies(x, blocks)) {
            return null;
        }
        long n = x.size(-1);
        long rows = x.numel() / n;
        int b = Math.toIntExact(blocks.size(1));
        boolean needX = GradMode.is_enabled() && x.requires_grad();
        boolean needBlocks = GradMode.is_enabled() && blocksGradient != null;
        if ((needX || needBlocks) && !OwnedPreHook.held()) {
            return null; // nothing would keep the backward hook reachable until the backward pass
        }
        Tensor xd;
        Tensor rd;
        Tensor y;
        try (NoGradGuard g = new NoGradGuard()) {
            xd = x.detach().contiguous();
            rd = blocks.detach().contiguous();
        }
        if (!needX && !needBlocks) {
            try (NoGradGuard g = new NoGradGuard()) {
                y = torch.empty(x.sizes().vec().get(), new TensorOptions(torch.ScalarType.Float).device(
                        new DeviceOptional(x.device())), new MemoryFormatOptional());
                if (!rotate(xd, rows, n, rd, b, transposed, y)) {
                    return null;
                }
            }
            return y;
        }
        // The node the hook sits on: clone of x (or of a throw-away leaf when x needs no gradient).
        Tensor source = needX ? x : xd.detach().requires_grad_(true);
        y = source.clone();
        if (!y.is_contiguous()) {
            return null;
        }
        try (NoGradGuard g = new NoGradGuard()) {
            if (!rotate(xd, rows, n, rd, b, transposed, y)) {
                return null;
            }
        }
        Backward hook = new Backward(xd, rd, needBlocks ? blocksGradient : null, needX, rows, n, b, transposed,
                xd._version(), rd._version());
        hook.addTo(y.grad_fn());
        return y;
    }

    private static boolean applies(Tensor x, Tensor blocks) {
        if (x.dim() < 1 || blocks.dim() != 3 || x.numel() == 0) {
            return false;
        }
        boolean cpu = x.device().is_cpu() && blocks.device().is_cpu();
        boolean cuda = x.is_cuda() && blocks.is_cuda() && x.device().equals(blocks.device());
        if (!cpu && !cuda) {
            return false;
        }
        if (x.scalar_type().intern() != torch.ScalarType.Float || blocks.scalar_type().intern() != torch.ScalarType.Float) {
            return false;
        }
        long b = blocks.size(1);
        return KernelLimits.rotateBlockSupported(b) && blocks.size(2) == b && blocks.size(0) * b == x.size(-1);
    }

    /** The forward kernel into {@code y} (contiguous, x's shape and device); false when it refuses (e.g. non-finite blocks). */
    private static boolean rotate(Tensor x, long rows, long n, Tensor r, int b, boolean transposed, Tensor y) {
        try {
            if (viaTensorKernels(x)) {
                TENSOR_KERNELS.blockRotate(x, r, transposed, y); // queued on LibTorch's current stream
            } else {
                KERNELS.blockRotate(HostTensors.address(x), rows, n, n, HostTensors.address(r), b, transposed,
                        HostTensors.address(y), n);
            }
            return true;
        } catch (KernelException e) {
            KernelFallback.process().report("OFT block rotation", e);
            return false;
        }
    }

    /** The backward of one rotation: replaces {@code dL/dy} by {@code dL/dx} and sends {@code dL/dR} to the blocks' graph. */
    private static final class Backward extends ReplacingGradientHook {
        private final Tensor x;
        private final Tensor r;
        private final Consumer<Tensor> blocksGradient;
        private final boolean needX;
        private final long rows;
        private final long n;
        private final int b;
        private final boolean transposed;
        private final long xVersion;
        private final long rVersion;

        Backward(Tensor x, Tensor r, Consumer<Tensor> blocksGradient, boolean needX, long rows, long n, int b, boolean transposed,
                 long xVersion, long rVersion) {
            super();
            this.x = x;
            this.r = r;
            this.blocksGradient = blocksGradient;
            this.needX = needX;
            this.rows = rows;
            this.n = n;
            this.b = b;
            this.transposed = transposed;
            this.xVersion = xVersion;
            this.rVersion = rVersion;
        }

        @Override
        @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
        protected Tensor replace(Tensor dy) {
            if (x._version() != xVersion || r._version() != rVersion) {
                // the same check LibTorch makes on the tensors a backward pass saved
                throw new IllegalStateException("native block rotation: its input or blocks were modified in place"
                        + " after the forward pass; the gradient would be wrong");
            }
            Tensor g;
            Tensor dx = null;
            Tensor dr = null;
            try (NoGradGuard guard = new NoGradGuard()) {
                g = dy.contiguous();
                if (g.scalar_type().intern() != torch.ScalarType.Float || g.numel() != rows * n) {
                    throw new IllegalStateException("native block rotation: gradient of " + g.numel()
                            + " elements does not match the output's " + rows * n);
                }
                boolean onTensors = viaTensorKernels(g);
                if (blocksGradient != null) {
                    // y = x R: dR_j = X_j^T G_j; y = x R^T: dR_j = (X_j^T G_j)^T = G_j^T X_j
                    Tensor first = transposed ? g : x;
                    Tensor second = transposed ? x : g;
                    if (onTensors) {
                        dr = TENSOR_KERNELS.blockCross(first.view(rows, n), second.view(rows, n), b);
                    } else {
                        dr = torch.empty(n / b, b, b);
                        KERNELS.blockCross(HostTensors.address(first), rows, n, n, HostTensors.address(second), n, b,
                                HostTensors.address(dr));
                    }
                }
                if (needX) {
                    if (onTensors) {
                        dx = TENSOR_KERNELS.blockRotate(g, r, !transposed);
                    } else {
                        dx = torch.empty(dy.sizes().vec().get());
                        KERNELS.blockRotate(HostTensors.address(g), rows, n, n, HostTensors.address(r), b, !transposed,
                                HostTensors.address(dx), n);
                    }
                }
            }
            if (dr != null) {
                blocksGradient.accept(dr);
            }
            return dx;
        }
    }
}
