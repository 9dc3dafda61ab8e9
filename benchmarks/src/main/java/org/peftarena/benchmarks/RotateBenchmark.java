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

/** OFT input-centric block rotation: ours vs LibTorch bmm over the reshaped blocks. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RotateBenchmark {
    private static final KernelOps OPS = KernelOps.cpu();

    @Param({"4096"})
    int rows;

    @Param({"4096"})
    int features;

    @Param({"8", "16", "32", "64", "128"})
    int b;

    @Param({"1", "2"})
    int torchThreads;

    Tensor x;
    Tensor r;
    Tensor y;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(torchThreads);
        x = BenchInputs.gaussian(3, 1f, rows, features);
        r = BenchInputs.gaussian(5, (float) (1 / Math.sqrt(b)), features / b, b, b);
        y = torch.empty(rows, features);
    }

    @Benchmark
    public float ours() {
        OPS.blockRotate(HostTensors.address(x), rows, features, features, HostTensors.address(r), b, false, HostTensors.address(y), features);
        return y.data_ptr_float().get(7);
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void torchBmm(Blackhole bh) {
        try (PointerScope scope = new PointerScope()) {
            bh.consume(LibTorchBaselines.blockRotate(x, r, b).data_ptr_float().get(7));
        }
    }
}
