package org.peftarena.bench;

import java.util.List;

/**
 * The kernel timings the {@code kernels bench} command runs, on one device: each of our kernels against the
 * LibTorch call users would make, on the same inputs. {@link KernelBenchSuite} runs them on the CPU,
 * {@link CudaKernelBench} on a CUDA device; Procrustes differs between the two (one large pair's residual on
 * the CPU, batched small problems on a device) and is not part of this interface.
 */
public interface KernelBenchmarks {
    /** Batched SVD of [batch, m, n]: with {@code vectors} against {@code linalg_svd}, else against {@code linalg_svdvals}. */
    BenchResult svd(int batch, int m, int n, boolean vectors);

    /** Batched Cayley transform of [batch, b(b-1)/2] generators: {@code terms = 0} exact, else Neumann with that many terms. */
    BenchResult cayley(int batch, int b, int terms);

    /** Block rotation of x [rows, n] by n/b blocks of b. */
    BenchResult rotate(int rows, int n, int b);

    /** The default sweep of this device. */
    List<BenchResult> defaultSweep();
}
