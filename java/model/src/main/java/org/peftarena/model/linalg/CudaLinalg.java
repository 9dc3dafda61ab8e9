package org.peftarena.model.linalg;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.CudaProbe;
import org.peftarena.model.TensorKernels;

/**
 * Dense linear algebra of float32 CUDA tensors through cuSOLVER's Jacobi solvers and cuBLAS GEMM, the
 * {@code org.bytedeco:cuda} presets called with LibTorch's own cuSOLVER / cuBLAS handles (bound to LibTorch's
 * current stream), workspaces from LibTorch's caching allocator, and no host synchronisation except reading
 * the solvers' {@code info} (and a scalar result) at the end. Batched small SVDs run on our own Jacobi kernel
 * ({@link TensorKernels#svd}); {@link #gesvdjBatched} is cuSOLVER's alternative for comparison.
 *
 * <p>Every entry checks its arguments first (float32, shape, CUDA device) and throws
 * {@link IllegalArgumentException} naming the entry and argument; that touches no CUDA class. Only then, and
 * only when our own probe ({@link CudaProbe}) found a device and the presets are on the classpath, is the
 * presets' one caller ({@code CudaPresetCalls}) loaded; otherwise {@link IllegalStateException} says why. A
 * failing cuBLAS / cuSOLVER status or a solver that did not converge throws {@link CudaLinalgException}.
 * Inputs are never modified (the solvers overwrite a copy).
 */
public final class CudaLinalg {
    private static final AtomicBoolean PRESETS_TOUCHED = new AtomicBoolean();

    private CudaLinalg() {}

    /**
     * A singular value decomposition {@code A = U diag(S) Vh}; the vectors are null when not computed.
     *
     * @param u left singular vectors, float32 {@code [..., m, k]}
     * @param s singular values, descending, float32 {@code [..., k]}
     * @param vh right singular vectors as rows, float32 {@code [..., k, n]}
     */
    public record Svd(Tensor u, Tensor s, Tensor vh) {}

    /**
     * A symmetric eigendecomposition {@code A = V diag(W) V^T}.
     *
     * @param values eigenvalues, ascending, float32 {@code [..., n]}
     * @param vectors eigenvectors as columns, float32 {@code [..., n, n]}
     */
    public record Eigen(Tensor values, Tensor vectors) {}

    /** Whether CUDA tensors can be handed to this class: a device is usable and the CUDA presets are present. */
    public static boolean available() {
        return Gate.REASON.isEmpty();
    }

    /** Why {@link #available()} is false, or empty. */
    public static String unavailableReason() {
        return Gate.REASON;
    }

    /**
     * Whether a tensor should take this path: a float32 CUDA tensor while {@link #available()}. A CPU tensor is
     * answered without probing anything.
     */
    public static boolean handles(Tensor t) {
        return t != null && !t.isNull() && t.defined() && t.is_cuda() && t.scalar_type().intern() == torch.ScalarType.Float
                && available();
    }

    /**
     * Thin SVD through {@code cusolverDnSgesvdj} (economy mode).
     *
     * @param a float32 {@code [m, n]} on a CUDA device
     * @return {@code U [m, k]}, {@code S [k]} descending, {@code Vh [k, n]}, {@code k = min(m, n)}
     */
    public static Svd thinSvd(Tensor a) {
        requireMatrix("thinSvd", a, "a");
        requireCuda("thinSvd", a, "a");
        return gesvdj(a, true);
    }

    /**
     * Singular values through {@code cusolverDnSgesvdj} without vectors.
     *
     * @param a float32 {@code [m, n]} on a CUDA device
     * @return float32 {@code [min(m, n)]}, descending
     */
    public static Tensor singularValues(Tensor a) {
        requireMatrix("singularValues", a, "a");
        requireCuda("singularValues", a, "a");
        return gesvdj(a, false).s();
    }

    /**
     * Batched SVD of small matrices on our own one-sided Jacobi kernel ({@link TensorKernels#svd}, up to its
     * size limit), the path the diagnostics use.
     *
     * @param a float32 {@code [batch, m, n]} on a CUDA device
     * @param vectors also compute {@code U} and {@code Vh}
     * @return {@code U [batch, m, k]}, {@code S [batch, k]}, {@code Vh [batch, k, n]}
     */
    public static Svd batchedSvd(Tensor a, boolean vectors) {
        requireBatch("batchedSvd", a, "a");
        requireCuda("batchedSvd", a, "a");
        TensorKernels.Svd r = TensorKernels.create().svd(a, vectors);
        return new Svd(r.u(), r.s(), r.vh());
    }

    /**
     * Batched SVD of small matrices through {@code cusolverDnSgesvdjBatched}, the alternative to
     * {@link #batchedSvd} measured in the benchmarks.
     *
     * @param a float32 {@code [batch, m, n]}, m and n at most 32, on a CUDA device
     * @param vectors also return {@code U} and {@code Vh}
     * @return {@code U [batch, m, k]}, {@code S [batch, k]}, {@code Vh [batch, k, n]}
     */
    public static Svd gesvdjBatched(Tensor a, boolean vectors) {
        requireBatch("gesvdjBatched", a, "a");
        SvdLayout l = layoutOrThrow("gesvdjBatched", () -> SvdLayout.batched(a.size(0), a.size(1), a.size(2)));
        requireCuda("gesvdjBatched", a, "a");
        requireAvailable();
        TensorOptions o = floatsOn(a);
        int k = l.k();
        Tensor s = empty(o, l.batch(), k);
        if (l.batch() == 0 || k == 0) {
            return vectors ? new Svd(empty(o, l.batch(), l.m(), k), s, empty(o, l.batch(), k, l.n())) : new Svd(null, s, null);
        }
        Tensor work = l.solverInput(a);
        Tensor u = empty(o, l.uElements());
        Tensor v = empty(o, l.vElements());
        Tensor info = CudaPresetCalls.gesvdjBatched(work, l, vectors, s, u, v);
        SolverChecks.info("cusolverDnSgesvdjBatched", ints(info));
        return vectors ? l.assemble(u, s, v) : new Svd(null, s, null);
    }

    /**
     * Symmetric eigendecomposition through {@code cusolverDnSsyevj}, reading the lower triangle (as LibTorch's
     * {@code linalg_eigh} does by default).
     *
     * @param a symmetric float32 {@code [n, n]} on a CUDA device
     * @return eigenvalues ascending {@code [n]} and eigenvectors as columns {@code [n, n]}
     */
    public static Eigen symmetricEigen(Tensor a) {
        requireMatrix("symmetricEigen", a, "a");
        requireSquare("symmetricEigen", a, 0);
        requireCuda("symmetricEigen", a, "a");
        return syevj(EighLayout.of(a.size(0)), a);
    }

    /**
     * Batched symmetric eigendecomposition through {@code cusolverDnSsyevjBatched}, lower triangles read.
     *
     * @param a symmetric float32 {@code [batch, n, n]}, n at most 32, on a CUDA device
     * @return eigenvalues ascending {@code [batch, n]} and eigenvectors as columns {@code [batch, n, n]}
     */
    public static Eigen symmetricEigenBatched(Tensor a) {
        requireBatch("symmetricEigenBatched", a, "a");
        requireSquare("symmetricEigenBatched", a, 1);
        EighLayout l = layoutOrThrow("symmetricEigenBatched", () -> EighLayout.batched(a.size(0), a.size(1)));
        requireCuda("symmetricEigenBatched", a, "a");
        return syevj(l, a);
    }

    /**
     * {@code X1^T X0} through {@code cublasSgemm} (float32, LibTorch's cuBLAS handle and math mode).
     *
     * @param x1 float32 {@code [n, d]} on a CUDA device
     * @param x0 float32 {@code [n, d]} on x1's device
     * @return float32 {@code [d, d]}
     */
    public static Tensor crossProduct(Tensor x1, Tensor x0) {
        requirePair("crossProduct", x1, x0);
        requireAvailable();
        return cross(x1.contiguous(), x0.contiguous());
    }

    /**
     * The orthogonal-Procrustes residual {@code min_R normF(X1 R - X0)} over rotations {@code R}, for large d.
     * With {@code d > n} the problem is first reduced to {@code n x n} by the R factors of {@code X1^T} and
     * {@code X0^T} (LibTorch's QR), as in the CPU path. Then {@code M = A^T B} (cublasSgemm),
     * {@code M = U S V^T} (gesvdj), {@code R = U V^T} (cublasSgemm), and the residual is computed directly as
     * {@code normF(A R - B)} with the product, the difference and the sum in float64 (cublasDgemm): the
     * identity {@code normF(X1)^2 + normF(X0)^2 - 2 sum(S)} cancels in float32 when the fit is good.
     *
     * @param x1 float32 {@code [n, d]} on a CUDA device
     * @param x0 float32 {@code [n, d]} on x1's device
     * @return {@code normF(X1 R - X0)} for the optimal rotation, not normalised
     */
    public static double procrustesResidual(Tensor x1, Tensor x0) {
        requirePair("procrustesResidual", x1, x0);
        requireAvailable();
        long n = x1.size(0);
        long d = x1.size(1);
        if (n == 0 || d == 0) {
            return 0.0;
        }
        Tensor a = d <= n ? x1.contiguous() : qrRTransposed(x1);
        Tensor b = d <= n ? x0.contiguous() : qrRTransposed(x0);
        Queued svd = queueGesvdj(cross(a, b), true);
        Svd usv = svd.result();
        long r = a.size(1);
        Tensor rotation = empty(floatsOn(a), r, r);
        CudaPresetCalls.sgemm(RowMajorGemm.of(false, r, r, false, r, r), 1f, usv.u(), usv.vh(), 0f, rotation);
        Tensor ad = a.to(torch.ScalarType.Double);
        Tensor rd = rotation.to(torch.ScalarType.Double);
        Tensor diff = b.to(torch.ScalarType.Double); // a new tensor (the dtype changes), overwritten by A R - B
        CudaPresetCalls.dgemm(RowMajorGemm.of(false, a.size(0), r, false, r, r), 1.0, ad, rd, -1.0, diff);
        Tensor residual = diff.norm();
        svd.check(); // the first wait, with everything queued
        return residual.item_double();
    }

    /** Whether the presets' caller has been initialised in this process (for tests and the doctor). */
    static boolean presetsTouched() {
        return PRESETS_TOUCHED.get();
    }

    /** Called by {@code CudaPresetCalls}' static initialiser. */
    static void markPresetsTouched() {
        PRESETS_TOUCHED.set(true);
    }

    /** The gate, found once on first use: our own probe first, then a resource look-up (nothing loaded). */
    private static final class Gate {
        static final String REASON = reason(CudaProbe.probe(),
                CudaLinalg.class.getClassLoader().getResource("org/bytedeco/cuda/global/cusolver.class") != null);
    }

    /** Why the path is unavailable given the probe and whether the presets' classes are present, or empty. */
    static String reason(CudaProbe probe, boolean presetsPresent) {
        if (!probe.available()) {
            return probe.reason();
        }
        if (!presetsPresent) {
            return "the org.bytedeco:cuda presets are not on the classpath (the GPU distribution, built with -Pgpu,"
                    + " carries them)";
        }
        return "";
    }

    /** An SVD queued on the stream, and its device {@code info} (null when nothing was queued). */
    private record Queued(Svd result, Tensor info) {
        /** Reads {@code info} (waiting for the stream) and throws when gesvdj failed. */
        void check() {
            if (info != null) {
                SolverChecks.info("cusolverDnSgesvdj", ints(info));
            }
        }
    }

    private static Svd gesvdj(Tensor a, boolean vectors) {
        Queued q = queueGesvdj(a, vectors);
        q.check();
        return q.result();
    }

    private static Queued queueGesvdj(Tensor a, boolean vectors) {
        requireAvailable();
        SvdLayout l = SvdLayout.single(a.size(0), a.size(1));
        TensorOptions o = floatsOn(a);
        int k = l.k();
        Tensor s = empty(o, k);
        if (k == 0) {
            return new Queued(vectors ? new Svd(empty(o, l.m(), 0), s, empty(o, 0, l.n())) : new Svd(null, s, null), null);
        }
        Tensor work = l.solverInput(a);
        // U and V are allocated even without vectors: cuSOLVER documents no null pointers for them
        Tensor u = empty(o, l.uElements());
        Tensor v = empty(o, l.vElements());
        Tensor info = CudaPresetCalls.gesvdj(work, l, vectors, s, u, v);
        return new Queued(vectors ? l.assemble(u, s, v) : new Svd(null, s, null), info);
    }

    private static Eigen syevj(EighLayout l, Tensor a) {
        requireAvailable();
        Tensor w = l.single() ? empty(floatsOn(a), l.n()) : empty(floatsOn(a), l.batch(), l.n());
        if (l.batch() == 0 || l.n() == 0) {
            return l.assemble(copyOf(a), w);
        }
        Tensor work = copyOf(a);
        Tensor info = CudaPresetCalls.syevj(work, l, w);
        SolverChecks.info(l.single() ? "cusolverDnSsyevj" : "cusolverDnSsyevjBatched", ints(info));
        return l.assemble(work, w);
    }

    /** {@code a^T b} for contiguous {@code [n, r]} operands, float32 {@code [r, r]}. */
    private static Tensor cross(Tensor a, Tensor b) {
        RowMajorGemm g = RowMajorGemm.of(true, a.size(0), a.size(1), false, b.size(0), b.size(1));
        Tensor m = empty(floatsOn(a), g.n(), g.m());
        if (g.k() == 0) {
            return m.zero_();
        }
        CudaPresetCalls.sgemm(g, 1f, a, b, 0f, m);
        return m;
    }

    /** {@code R^T} of the reduced QR of {@code x^T}: float32 {@code [n, n]}, with {@code x^T x = R^T R}. */
    private static Tensor qrRTransposed(Tensor x) {
        return torch.linalg_qr(x.t().contiguous(), "reduced").get1().t().contiguous();
    }

    /** A contiguous copy the solvers may overwrite. */
    private static Tensor copyOf(Tensor a) {
        return a.clone(new MemoryFormatOptional(torch.MemoryFormat.Contiguous));
    }

    /** Reads a device int32 vector: the one synchronisation, after the solver's work. */
    private static int[] ints(Tensor info) {
        Tensor host = info.cpu();
        int[] out = new int[Math.toIntExact(host.numel())];
        host.data_ptr_int().get(out);
        return out;
    }

    private static TensorOptions floatsOn(Tensor t) {
        return new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(t.device()));
    }

    private static Tensor empty(TensorOptions o, long... shape) {
        return torch.empty(shape, o, new MemoryFormatOptional());
    }

    private static void requireAvailable() {
        if (!available()) {
            throw new IllegalStateException("CudaLinalg needs the GPU path: " + unavailableReason());
        }
    }

    private static void requireFloat(String entry, Tensor t, String name) {
        if (t == null || t.isNull() || !t.defined()) {
            throw new IllegalArgumentException(entry + ": argument '" + name + "' is null or undefined");
        }
        if (t.scalar_type().intern() != torch.ScalarType.Float) {
            throw new IllegalArgumentException(entry + ": argument '" + name + "' must be float32, got "
                    + t.scalar_type().intern());
        }
    }

    private static void requireMatrix(String entry, Tensor t, String name) {
        requireFloat(entry, t, name);
        if (t.dim() != 2) {
            throw new IllegalArgumentException(entry + ": argument '" + name + "' must be a matrix [m, n], got " + shape(t));
        }
        layoutOrThrow(entry, () -> SvdLayout.single(t.size(0), t.size(1)));
    }

    private static void requireBatch(String entry, Tensor t, String name) {
        requireFloat(entry, t, name);
        if (t.dim() != 3) {
            throw new IllegalArgumentException(entry + ": argument '" + name + "' must be [batch, m, n], got " + shape(t));
        }
    }

    private static void requireSquare(String entry, Tensor t, int firstDim) {
        if (t.size(firstDim) != t.size(firstDim + 1)) {
            throw new IllegalArgumentException(entry + ": argument 'a' must be square, got " + shape(t));
        }
    }

    private static void requirePair(String entry, Tensor x1, Tensor x0) {
        requireFloat(entry, x1, "x1");
        requireFloat(entry, x0, "x0");
        if (x1.dim() != 2 || !Arrays.equals(sizes(x1), sizes(x0))) {
            throw new IllegalArgumentException(entry + ": x1 and x0 must both be [n, d], got " + shape(x1) + " and "
                    + shape(x0));
        }
        layoutOrThrow(entry, () -> SvdLayout.single(x1.size(1), x1.size(1)));
        requireCuda(entry, x1, "x1");
        requireCuda(entry, x0, "x0");
        if (x1.device().notEquals(x0.device())) {
            throw new IllegalArgumentException(entry + ": x0 is on " + x0.device().str().getString() + ", x1 on "
                    + x1.device().str().getString());
        }
    }

    private static void requireCuda(String entry, Tensor t, String name) {
        if (!t.is_cuda()) {
            throw new IllegalArgumentException(entry + ": argument '" + name + "' must be a CUDA tensor, got one on "
                    + t.device().str().getString() + " (CPU tensors take LibTorch's path)");
        }
    }

    private static <T> T layoutOrThrow(String entry, java.util.function.Supplier<T> layout) {
        try {
            return layout.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(entry + ": " + e.getMessage(), e);
        }
    }

    private static long[] sizes(Tensor t) {
        return t.sizes().vec().get();
    }

    private static String shape(Tensor t) {
        return Arrays.toString(sizes(t));
    }
}
