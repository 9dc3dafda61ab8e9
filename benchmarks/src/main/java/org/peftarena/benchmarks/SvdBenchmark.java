package org.peftarena.benchmarks;

import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.peftarena.bench.LibTorchBaselines;
import org.peftarena.model.HostTensors;
import org.peftarena.kernels.KernelOps;

/** Batched SVD of small matrices: our one-sided Jacobi vs LibTorch linalg_svd / linalg_svdvals. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SvdBenchmark {
    private static final KernelOps OPS = KernelOps.cpu();

    @Param({"4096"})
    int batch;

    @Param({"8", "16", "32", "64"})
    int size;

    /** LibTorch intra-op threads for the baseline (ours always uses all cores). */
    @Param({"1", "2"})
    int torchThreads;

    Tensor a;
    Tensor s;
    Tensor u;
    Tensor vt;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(torchThreads);
        a = BenchInputs.gaussian(7, 1f, batch, size, size);
        s = torch.empty(batch, size);
        u = torch.empty(batch, size, size);
        vt = torch.empty(batch, size, size);
    }

    @Benchmark
    public float oursSvd() {
        OPS.svd(HostTensors.address(a), batch, size, size, HostTensors.address(s), HostTensors.address(u), HostTensors.address(vt));
        return s.data_ptr_float().get(0);
    }

    @Benchmark
    public float oursSvdvals() {
        OPS.svd(HostTensors.address(a), batch, size, size, HostTensors.address(s), 0, 0);
        return s.data_ptr_float().get(0);
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void torchSvd(Blackhole bh) {
        try (PointerScope scope = new PointerScope()) {
            bh.consume(LibTorchBaselines.svd(a).get1().data_ptr_float().get(0));
        }
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void torchSvdvals(Blackhole bh) {
        try (PointerScope scope = new PointerScope()) {
            bh.consume(LibTorchBaselines.svdvals(a).data_ptr_float().get(0));
        }
    }
}
