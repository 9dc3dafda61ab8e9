package org.peftarena.bench;

import org.peftarena.peft.oft.CayleyTransform;
import org.peftarena.model.HostTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;

/**
 * Times each native kernel against the LibTorch call users would make today, on the same seeded
 * inputs in the same process. The baseline gets its best LibTorch intra-op thread setting among
 * {@link #BASELINE_THREAD_SETTINGS}; our kernels use all cores.
 */
public final class KernelBenchSuite implements KernelBenchmarks {
    private static final KernelOps OPS = KernelOps.cpu();

    /** LibTorch intra-op thread counts tried for every baseline; the fastest is reported. */
    private static final int[] BASELINE_THREAD_SETTINGS = {1, 2};

    private final int warmup;
    private final int reps;
    private final long seed;

    /**
     * @param warmup unmeasured runs before timing
     * @param reps measured runs
     * @param seed seed of the random inputs
     */
    public KernelBenchSuite(int warmup, int reps, long seed) {
        this.warmup = warmup;
        this.reps = reps;
        this.seed = seed;
    }

    /** Batched SVD with U and V, [batch, m, n] float32; error = max |s - s_torch| / max s. */
    public BenchResult svd(int batch, int m, int n) {
        return svd(batch, m, n, true);
    }

    /** Batched singular values only, [batch, m, n] float32. */
    public BenchResult svdvals(int batch, int m, int n) {
        return svd(batch, m, n, false);
    }

    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult svd(int batch, int m, int n, boolean vectors) {
        try (PointerScope scope = new PointerScope()) {
            int k = Math.min(m, n);
            Tensor a = gaussian(1.0f, batch, m, n);
            Tensor s = torch.empty(batch, k);
            Tensor u = vectors ? torch.empty(batch, m, k) : null;
            Tensor vt = vectors ? torch.empty(batch, k, n) : null;
            Runnable ours = () -> OPS.svd(HostTensors.address(a), batch, m, n,
                    HostTensors.address(s), u == null ? 0 : HostTensors.address(u), vt == null ? 0 : HostTensors.address(vt));
            Supplier<Tensor> base = vectors ? () -> LibTorchBaselines.svd(a).get1() : () -> LibTorchBaselines.svdvals(a);
            BaselineRun b = bestBaseline(base);
            ours.run();
            Tensor ref = base.get();
            double err = s.sub(ref).abs().max().item_double() / ref.abs().max().item_double();
            return new BenchResult(vectors ? "svd" : "svdvals", batch + "x" + m + "x" + n,
                    BenchTimer.time(ours, warmup, reps), b.timing, b.threads, err);
        }
    }

    /**
     * Batched Cayley of packed generators [batch, b(b-1)/2]; {@code terms = 0} is exact (vs
     * LibTorch linalg_solve as HF PEFT), otherwise Neumann (vs the bmm chain).
     */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult cayley(int batch, int b, int terms) {
        try (PointerScope scope = new PointerScope()) {
            int p = b * (b - 1) / 2;
            Tensor q = gaussian(0.02f, batch, p);
            Tensor r = torch.empty(batch, b, b);
            Tensor triu = CayleyTransform.triangleIndices(b);
            Runnable ours = () -> OPS.cayley(HostTensors.address(q), batch, b, new CayleyVariant(terms), 1.0f, HostTensors.address(r));
            Supplier<Tensor> base = terms == 0
                    ? () -> LibTorchBaselines.cayleyExact(q, triu, b)
                    : () -> LibTorchBaselines.cayleyNeumann(q, triu, b, terms);
            BaselineRun br = bestBaseline(base);
            ours.run();
            double err = r.sub(base.get()).abs().max().item_double();
            String op = terms == 0 ? "cayley-exact" : "cayley-neumann" + terms;
            return new BenchResult(op, batch + " blocks of " + b, BenchTimer.time(ours, warmup, reps), br.timing, br.threads, err);
        }
    }

    /** OFT block rotation x [rows, n] times blockdiag(R_j), b | n; error relative to max |y|. */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult rotate(int rows, int n, int b) {
        try (PointerScope scope = new PointerScope()) {
            Tensor[] in = rotateInputs(seed, rows, n, b);
            Tensor x = in[0];
            Tensor r = in[1];
            Tensor y = torch.empty(rows, n);
            Runnable ours = () -> OPS.blockRotate(HostTensors.address(x), rows, n, n, HostTensors.address(r), b, false, HostTensors.address(y), n);
            Supplier<Tensor> base = () -> LibTorchBaselines.blockRotate(x, r, b);
            BaselineRun br = bestBaseline(base);
            ours.run();
            Tensor ref = base.get();
            double err = y.sub(ref).abs().max().item_double() / ref.abs().max().item_double();
            return new BenchResult("rotate", rows + "x" + n + " b=" + b, BenchTimer.time(ours, warmup, reps), br.timing, br.threads, err);
        }
    }

    /**
     * Procrustes residual normF(X1 R - X0) for one large pair [rows, d]: ours = LibTorch mm for
     * the cross product + our singular-value residual; baseline = mm + svd + U Vh + norm.
     * Error relative to the baseline residual.
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public BenchResult procrustes(int rows, int d) {
        try (PointerScope scope = new PointerScope()) {
            Tensor x0 = gaussian(1.0f, rows, d);
            Tensor x1 = x0.add(gaussian(0.5f, rows, d));
            double[] residual = new double[1];
            Runnable ours = () -> {
                try (PointerScope inner = new PointerScope()) {
                    Tensor m = torch.mm(x1.t(), x0).contiguous();
                    double x1sq = x1.square().sum().item_double();
                    double x0sq = x0.square().sum().item_double();
                    residual[0] = OPS.procrustesResidualFromCross(HostTensors.address(m), d, x1sq, x0sq);
                }
            };
            double[] ref = new double[1];
            BaselineRun br = bestBaseline(() -> {
                ref[0] = LibTorchBaselines.procrustesResidual(x1, x0);
                return ref[0];
            });
            ours.run();
            double err = Math.abs(residual[0] - ref[0]) / ref[0];
            return new BenchResult("procrustes", rows + "x" + d, BenchTimer.time(ours, warmup, reps), br.timing, br.threads, err);
        }
    }

    private record BaselineRun(BenchTimer.Timing timing, int threads) {}

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private BaselineRun bestBaseline(Supplier<?> task) {
        int saved = torch.get_num_threads();
        BaselineRun best = null;
        try {
            for (int t : BASELINE_THREAD_SETTINGS) {
                torch.set_num_threads(t);
                BenchTimer.Timing timing = BenchTimer.time(() -> {
                    try (PointerScope s = new PointerScope()) {
                        if (task.get() == null) {
                            throw new IllegalStateException("baseline produced no result");
                        }
                    }
                }, warmup, reps);
                if (best == null || timing.minMs() < best.timing.minMs()) {
                    best = new BaselineRun(timing, t);
                }
            }
        } finally {
            torch.set_num_threads(saved);
        }
        return best;
    }

    private Tensor gaussian(float std, long... shape) {
        return seededGaussian(seed, std, shape);
    }

    /**
     * The rotation benchmark's inputs on the CPU, the same on every device's suite: {@code x [rows, n]} of
     * unit variance and {@code n/b} blocks {@code [b, b]} of variance {@code 1/b}.
     */
    static Tensor[] rotateInputs(long seed, int rows, int n, int b) {
        return new Tensor[] {seededGaussian(seed, 1.0f, rows, n), seededGaussian(seed, (float) (1.0 / Math.sqrt(b)), n / b, b, b)};
    }

    /** Gaussian float32 values on the CPU, the same for the same seed, scale and shape (also {@link CudaKernelBench}'s). */
    static Tensor seededGaussian(long seed, float std, long... shape) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        Random random = new Random(seed + count);
        float[] data = new float[Math.toIntExact(count)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
        return HostTensors.floats(data, shape);
    }

    /** The default sweep: the target shapes plus block sizes 8..128 for crossovers. */
    @Override
    public List<BenchResult> defaultSweep() {
        List<BenchResult> out = new ArrayList<>();
        out.add(svd(4096, 32, 32));
        out.add(svdvals(4096, 32, 32));
        for (int b : new int[] {8, 16, 32, 64, 128}) {
            int batch = Math.max(64, 4096 * 32 / b);
            out.add(cayley(batch, b, 0));
            out.add(cayley(batch, b, 5));
        }
        for (int b : new int[] {8, 16, 32, 64, 128}) {
            out.add(rotate(4096, 4096, b));
        }
        out.add(procrustes(4096, 1024));
        return out;
    }
}
