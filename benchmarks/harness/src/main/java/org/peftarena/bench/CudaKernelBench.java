package org.peftarena.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.model.TensorKernels;
import org.peftarena.model.linalg.CudaLinalg;
import org.peftarena.peft.oft.CayleyTransform;

/**
 * Our CUDA kernels against the LibTorch calls users would make, on the same CUDA tensors: ours through
 * {@link TensorKernels} (device pointers, LibTorch's current stream), the baseline through LibTorch
 * ({@code linalg_svd}, which LibTorch sends to cuSOLVER's batched Jacobi for small matrices;
 * {@code linalg_solve}; the {@code bmm} chain; {@code bmm} + {@code linalg_svd} for Procrustes). Each timed
 * run ends with a synchronisation of the stream, so a figure is the work's wall time, not its queuing.
 * Inputs are made on the CPU from the seed, as {@link KernelBenchSuite} makes them, and copied to the device
 * once. Needs LibTorch's CUDA build and a device (the {@code -Pgpu} distribution). The {@code *-cusolver}
 * entries time {@link CudaLinalg} (cuSOLVER's Jacobi solvers and cuBLAS through the presets) instead of our
 * kernels, on the CPU suite's shapes.
 */
public final class CudaKernelBench implements KernelBenchmarks {
    private static final TensorKernels OURS = TensorKernels.create();

    private final int warmup;
    private final int reps;
    private final long seed;
    private final Device device;

    /**
     * @param warmup unmeasured runs before timing
     * @param reps measured runs
     * @param seed seed of the random inputs
     * @param deviceIndex the CUDA device
     */
    public CudaKernelBench(int warmup, int reps, long seed, int deviceIndex) {
        this.warmup = warmup;
        this.reps = reps;
        this.seed = seed;
        this.device = new Device(torch.DeviceType.CUDA, (byte) deviceIndex);
    }

    private Tensor onDevice(Tensor host) {
        return host.to(new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(device)), false, false,
                new org.bytedeco.pytorch.MemoryFormatOptional());
    }

    private Tensor gaussian(float std, long... shape) {
        return onDevice(KernelBenchSuite.seededGaussian(seed, std, shape));
    }

    private BenchTimer.Timing time(Supplier<Tensor> task, Tensor onStream) {
        return BenchTimer.time(() -> {
            if (task.get() == null) {
                throw new IllegalStateException("no result");
            }
            TensorKernels.synchronize(onStream);
        }, warmup, reps);
    }

    private BenchResult result(String op, String shape, Supplier<Tensor> ours, Supplier<Tensor> base, Tensor onStream,
                               boolean relative) {
        BenchTimer.Timing baseline = time(base, onStream);
        BenchTimer.Timing timing = time(ours, onStream);
        Tensor ref = base.get();
        double err = ours.get().sub(ref).abs().max().item_double();
        if (relative) {
            err /= ref.abs().max().item_double();
        }
        return new BenchResult(op, shape + " on " + device.str().getString(), timing, baseline, 0, err);
    }

    /** Batched SVD of [batch, m, n]; with {@code vectors} against {@code linalg_svd}, else {@code linalg_svdvals}. */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult svd(int batch, int m, int n, boolean vectors) {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = gaussian(1.0f, batch, m, n);
            Supplier<Tensor> base = vectors ? () -> LibTorchBaselines.svd(a).get1() : () -> LibTorchBaselines.svdvals(a);
            return result(vectors ? "svd" : "svdvals", batch + "x" + m + "x" + n, () -> OURS.svd(a, vectors).s(), base, a, true);
        }
    }

    /** Batched Cayley of [batch, b(b-1)/2]: {@code terms = 0} exact (vs {@code linalg_solve}), else Neumann (vs bmm). */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult cayley(int batch, int b, int terms) {
        try (PointerScope scope = new PointerScope()) {
            Tensor q = gaussian(0.02f, batch, (long) b * (b - 1) / 2);
            Tensor triu = CayleyTransform.triangleIndices(b);
            Supplier<Tensor> base = terms == 0 ? () -> LibTorchBaselines.cayleyExact(q, triu, b)
                    : () -> LibTorchBaselines.cayleyNeumann(q, triu, b, terms);
            CayleyVariant variant = terms == 0 ? CayleyVariant.EXACT : CayleyVariant.neumannSeries(terms);
            return result(terms == 0 ? "cayley-exact" : "cayley-neumann" + terms, batch + " blocks of " + b,
                    () -> OURS.cayley(q, b, variant, 1f), base, q, false);
        }
    }

    /** Block rotation of x [rows, n] by n/b blocks of b, against {@code bmm} over the reshaped blocks. */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult rotate(int rows, int n, int b) {
        try (PointerScope scope = new PointerScope()) {
            Tensor[] in = KernelBenchSuite.rotateInputs(seed, rows, n, b);
            Tensor x = onDevice(in[0]);
            Tensor r = onDevice(in[1]);
            return result("rotate", rows + "x" + n + " b=" + b, () -> OURS.blockRotate(x, r, false),
                    () -> LibTorchBaselines.blockRotate(x, r, b), x, true);
        }
    }

    /** Batched Procrustes residuals of [batch, rows, d] pairs, against {@code bmm} + {@code linalg_svd}. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult procrustes(int batch, int rows, int d) {
        try (PointerScope scope = new PointerScope()) {
            Tensor x0 = gaussian(1.0f, batch, rows, d);
            Tensor x1 = x0.add(gaussian(0.5f, batch, rows, d), new Scalar(1.0));
            return result("procrustes", batch + "x" + rows + "x" + d, () -> OURS.procrustes(x1, x0, false).residual(),
                    () -> LibTorchBaselines.procrustesBatched(x1, x0), x0, true);
        }
    }

    /**
     * Batched SVD of [batch, m, n] through {@code cusolverDnSgesvdjBatched} ({@link CudaLinalg#gesvdjBatched}),
     * against {@code linalg_svd} / {@code linalg_svdvals}.
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult gesvdjBatched(int batch, int m, int n, boolean vectors) {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = gaussian(1.0f, batch, m, n);
            Supplier<Tensor> base = vectors ? () -> LibTorchBaselines.svd(a).get1() : () -> LibTorchBaselines.svdvals(a);
            return result(vectors ? "svd-cusolver" : "svdvals-cusolver", batch + "x" + m + "x" + n,
                    () -> CudaLinalg.gesvdjBatched(a, vectors).s(), base, a, true);
        }
    }

    /** One [m, n] SVD through {@code cusolverDnSgesvdj} ({@link CudaLinalg#thinSvd}), against {@code linalg_svd}. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult largeSvd(int m, int n, boolean vectors) {
        try (PointerScope scope = new PointerScope()) {
            Tensor a = gaussian(1.0f, m, n);
            Supplier<Tensor> ours = vectors ? () -> CudaLinalg.thinSvd(a).s() : () -> CudaLinalg.singularValues(a);
            Supplier<Tensor> base = vectors ? () -> LibTorchBaselines.svd(a).get1() : () -> LibTorchBaselines.svdvals(a);
            return result(vectors ? "svd-cusolver" : "svdvals-cusolver", m + "x" + n, ours, base, a, true);
        }
    }

    /**
     * The Procrustes residual of one large [rows, d] pair through {@link CudaLinalg#procrustesResidual} (cuBLAS
     * GEMMs, gesvdj, the residual in float64), against LibTorch's mm + svd + U Vh + norm on the same device.
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult largeProcrustes(int rows, int d) {
        try (PointerScope scope = new PointerScope()) {
            Tensor x0 = gaussian(1.0f, rows, d);
            Tensor x1 = x0.add(gaussian(0.5f, rows, d), new Scalar(1.0));
            double[] got = new double[1];
            double[] want = new double[1];
            // both end by reading a scalar back, which waits for the stream
            BenchTimer.Timing baseline = BenchTimer.time(() -> want[0] = LibTorchBaselines.procrustesResidual(x1, x0), warmup, reps);
            BenchTimer.Timing timing = BenchTimer.time(() -> got[0] = CudaLinalg.procrustesResidual(x1, x0), warmup, reps);
            double err = Math.abs(got[0] - want[0]) / want[0];
            return new BenchResult("procrustes-cusolver", rows + "x" + d + " on " + device.str().getString(), timing,
                    baseline, 0, err);
        }
    }

    /** {@link CudaLinalg} on the CPU suite's shapes: batched 32 x 32 SVDs, one 2048 x 2048 SVD, Procrustes 4096 x 1024. */
    public List<BenchResult> cusolverSweep() {
        List<BenchResult> out = new ArrayList<>();
        out.add(gesvdjBatched(4096, 32, 32, false));
        out.add(gesvdjBatched(4096, 32, 32, true));
        out.add(largeSvd(2048, 2048, false));
        out.add(largeSvd(2048, 2048, true));
        out.add(largeProcrustes(4096, 1024));
        return out;
    }

    /**
     * The GPU check's shapes: SVD 32 x 32, Cayley b = 16..128, rotation b = 16..128, Procrustes d = 32; then
     * {@link #cusolverSweep()}.
     */
    @Override
    public List<BenchResult> defaultSweep() {
        List<BenchResult> out = new ArrayList<>();
        out.add(svd(65536, 32, 32, false));
        out.add(svd(65536, 32, 32, true));
        for (int b : new int[] {16, 32, 64, 128}) {
            int batch = 65536 * 32 / b;
            out.add(cayley(batch, b, 0));
            out.add(cayley(batch, b, 5));
        }
        for (int b : new int[] {16, 32, 64, 128}) {
            out.add(rotate(16384, 4096, b));
        }
        out.add(procrustes(4096, 256, 32));
        out.addAll(cusolverSweep());
        return out;
    }
}
