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
import org.peftarena.bench.LibTorchBaselines;
import org.peftarena.model.HostTensors;
import org.peftarena.kernels.KernelOps;

/**
 * Procrustes residual of one large activation pair: ours (LibTorch mm for X1^T X0, then our
 * singular-value residual) vs mm + linalg_svd + U Vh + norm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProcrustesBenchmark {
    private static final KernelOps OPS = KernelOps.cpu();

    @Param({"4096"})
    int rows;

    @Param({"256", "1024"})
    int d;

    @Param({"1", "2"})
    int torchThreads;

    Tensor x0;
    Tensor x1;

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(torchThreads);
        x0 = BenchInputs.gaussian(1, 1f, rows, d);
        x1 = x0.add(BenchInputs.gaussian(2, 0.5f, rows, d));
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public double ours() {
        try (PointerScope scope = new PointerScope()) {
            Tensor m = torch.mm(x1.t(), x0).contiguous();
            double x1sq = x1.square().sum().item_double();
            double x0sq = x0.square().sum().item_double();
            return OPS.procrustesResidualFromCross(HostTensors.address(m), d, x1sq, x0sq);
        }
    }

    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public double torchSvd() {
        try (PointerScope scope = new PointerScope()) {
            return LibTorchBaselines.procrustesResidual(x1, x0);
        }
    }
}
