package org.peftarena.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.weights.AlignmentOptions;
import org.peftarena.analysis.weights.BaseSpectrum;
import org.peftarena.analysis.weights.BlockRotationUpdate;
import org.peftarena.analysis.weights.LowRankUpdate;
import org.peftarena.analysis.weights.WeightAnalysis;
import org.peftarena.analysis.weights.WeightDiagnostics;
import org.peftarena.analysis.weights.WeightUpdate;

/**
 * Times the weight-space analysis of one module on synthetic Qwen2.5-7B layer shapes: the
 * structured path given a cached base SVD against the dense path that recomputes everything
 * (SVD of W0, singular values of dW, SVD of W1). Arguments: {@code out,in ...} shapes (default
 * the four Qwen2.5-7B shapes), system property {@code repeats} for the structured mean over N
 * analyses (after one untimed one; every analysis gets a fresh update object), system
 * property {@code dense} = {@code all} (default: time the dense path for every method), {@code first}
 * (time it once per shape, for the first method, and compare the others with that time: the dense
 * path does the same SVDs whatever the method) or {@code none}. Both
 * wall time and process CPU time (all native threads included) are reported: on a shared, loaded
 * machine the CPU time is the steadier measure of work.
 */
public final class DiagnosticsSpeedRunner {
    private static final int LORA_RANK = 8;
    private static final int OFT_BLOCK = 32;

    private DiagnosticsSpeedRunner() {}

    public static void main(String[] args) {
        List<long[]> shapes = new ArrayList<>();
        for (String a : args.length > 0 ? args : new String[] {"3584,3584", "512,3584", "18944,3584", "3584,18944"}) {
            String[] p = a.split(",", 0);
            shapes.add(new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        }
        int repeats = Integer.getInteger("repeats", 3);
        String denseMode = System.getProperty("dense", "all");
        torch.manual_seed(1234);
        System.out.println("| shape (out x in) | method | base SVD wall / CPU (s) | dense, recompute all: wall / CPU (s)"
                + " | structured, cached base: wall / CPU (s) | speed-up wall / CPU |");
        System.out.println("|---|---|---|---|---|---|");
        for (long[] s : shapes) {
            long out = s[0];
            long in = s[1];
            Tensor w0 = torch.randn(out, in).mul(new org.bytedeco.pytorch.Scalar(0.02));
            double[] svdTime = new double[2];
            BaseSpectrum base = timed(() -> BaseSpectrum.compute(w0), svdTime);
            Tensor loraB = torch.randn(out, LORA_RANK).mul(new org.bytedeco.pytorch.Scalar(0.01));
            Tensor loraA = torch.randn(LORA_RANK, in).mul(new org.bytedeco.pytorch.Scalar(0.01));
            Tensor q = torch.randn(in / OFT_BLOCK, OFT_BLOCK, OFT_BLOCK).mul(new org.bytedeco.pytorch.Scalar(0.01));
            q = q.sub(q.transpose(1, 2));
            Tensor eye = torch.eye(OFT_BLOCK).unsqueeze(0).expand(q.sizes().vec().get());
            Tensor r = torch.linalg_solve(eye.add(q), eye.sub(q), true).contiguous();
            // a fresh update object for every timed analysis: nothing computed by an earlier repeat is reused
            Supplier<WeightUpdate> oft = () -> new BlockRotationUpdate(w0, r);
            Supplier<WeightUpdate> lora = () -> new LowRankUpdate(loraB, loraA, 2.0);
            double[] dense = {Double.NaN, Double.NaN};
            List<Supplier<WeightUpdate>> methods = "oft".equals(System.getProperty("methods")) ? List.of(oft)
                    : List.of(oft, lora);
            for (Supplier<WeightUpdate> method : methods) {
                String name = method == lora ? "LoRA r" + LORA_RANK : "OFT b" + OFT_BLOCK + " (exact Cayley)";
                // one untimed analysis (class loading, JIT), then the mean over a timed batch: single
                // analyses of the small shapes are near the 10 ms resolution of the process CPU clock
                WeightDiagnostics fast = analyse(base, method.get(), w0);
                double[] structured = new double[2];
                timed(() -> {
                    for (int i = 0; i < repeats; i++) {
                        analyse(base, method.get(), w0);
                    }
                    return null;
                }, structured);
                structured[0] /= repeats;
                structured[1] /= repeats;
                WeightDiagnostics slow = null;
                if ("all".equals(denseMode) || ("first".equals(denseMode) && method == methods.get(0))) {
                    Tensor w1 = w0.add(method.get().dense());
                    slow = timed(() -> WeightAnalysis.dense(w0, w1, true, AlignmentOptions.defaults()), dense);
                }
                System.out.printf(Locale.ROOT, "| %d x %d | %s | %.1f / %.1f | %.1f / %.1f | %.3f / %.3f | %.0fx / %.0fx |%n",
                        out, in, name, svdTime[0], svdTime[1], dense[0], dense[1], structured[0], structured[1],
                        dense[0] / structured[0], dense[1] / structured[1]);
                System.out.printf(Locale.ROOT, "<!-- load average %.1f; effective rank structured %.6g dense %s;"
                        + " dP mean %.6g vs %s -->%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(), fast.effectiveRank(), slow == null ? "not run" : String.format(Locale.ROOT, "%.6g",
                                slow.effectiveRank()), ((Number) fast.summary().get("dP_mean")).doubleValue(),
                        slow == null ? "not run" : String.format(Locale.ROOT, "%.6g", ((Number) slow.summary().get("dP_mean")).doubleValue()));
                System.out.flush();
            }
        }
    }

    private static WeightDiagnostics analyse(BaseSpectrum base, WeightUpdate update, Tensor w0) {
        return WeightAnalysis.analyse(base, update, w0, WeightAnalysis.AlignmentMode.STRUCTURED,
                AlignmentOptions.defaults());
    }

    /** Runs {@code work}; {@code seconds[0]} gets its wall time, {@code seconds[1]} the process CPU time. */
    private static <T> T timed(Supplier<T> work, double[] seconds) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        T result = work.get();
        seconds[0] = (System.nanoTime() - t0) / 1e9;
        seconds[1] = (os.getProcessCpuTime() - c0) / 1e9;
        return result;
    }
}
