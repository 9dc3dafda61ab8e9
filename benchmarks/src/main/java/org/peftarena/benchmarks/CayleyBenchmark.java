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
import org.peftarena.peft.oft.CayleyTransform;
import org.peftarena.bench.LibTorchBaselines;
import org.peftarena.model.HostTensors;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;

/**
 * Batched Cayley transforms from packed generators: ours (exact, Neumann-5) vs HF PEFT's LibTorch
 * formulation (skew build + linalg_solve, skew build + bmm chain).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CayleyBenchmark {
    private static final KernelOps OPS = KernelOps.cpu();

    @Param({"4096"})
    int blocks;

    @Param({"8", "16", "32", "64", "128"})
    int b;

    @Param({"1", "2"})
    int torchThreads;

    Tensor q;
    Tensor r;
    Tensor triu;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(torchThreads);
        q = BenchInputs.gaussian(11, 0.02f, blocks, (long) b * (b - 1) / 2);
        r = torch.empty(blocks, b, b);
        triu = CayleyTransform.triangleIndices(b);
    }

    @Benchmark
    public float oursExact() {
        OPS.cayley(HostTensors.address(q), blocks, b, new CayleyVariant(0), 1f, HostTensors.address(r));
        return r.data_ptr_float().get(1);
    }

    @Benchmark
    public float oursNeumann5() {
        OPS.cayley(HostTensors.address(q), blocks, b, new CayleyVariant(5), 1f, HostTensors.address(r));
        return r.data_ptr_float().get(1);
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void torchExactSolve(Blackhole bh) {
        try (PointerScope scope = new PointerScope()) {
            bh.consume(LibTorchBaselines.cayleyExact(q, triu, b).data_ptr_float().get(1));
        }
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void torchNeumann5Bmm(Blackhole bh) {
        try (PointerScope scope = new PointerScope()) {
            bh.consume(LibTorchBaselines.cayleyNeumann(q, triu, b, 5).data_ptr_float().get(1));
        }
    }
}
