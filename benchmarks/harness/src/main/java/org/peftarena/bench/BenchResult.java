package org.peftarena.bench;

/**
 * One row of a kernel benchmark: our kernel and the LibTorch baseline on the same inputs.
 *
 * @param op operation name (cayley-exact, cayley-neumann5, svd, svdvals, procrustes, rotate, ...)
 * @param shape human-readable input shape
 * @param ours our kernel's timing
 * @param baseline the baseline's timing under its best thread setting
 * @param baselineThreads LibTorch intra-op threads of the best baseline setting
 * @param maxError largest difference between the two results (relative where stated by the op)
 */
public record BenchResult(String op, String shape, BenchTimer.Timing ours, BenchTimer.Timing baseline,
                          int baselineThreads, double maxError) {
    /** Baseline time over our time (by minimum); above 1 means we are faster. */
    public double speedup() {
        return baseline.minMs() / ours.minMs();
    }
}
