package org.peftarena.analysis.bench;

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
 * the four Qwen2.5-7B shapes), system property {@code repeats} for the structured min-of-N, system
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
            String[] p = a.split(",");
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
            WeightUpdate lora = new LowRankUpdate(torch.randn(out, LORA_RANK).mul(new org.bytedeco.pytorch.Scalar(0.01)),
                    torch.randn(LORA_RANK, in).mul(new org.bytedeco.pytorch.Scalar(0.01)), 2.0);
            Tensor q = torch.randn(in / OFT_BLOCK, OFT_BLOCK, OFT_BLOCK).mul(new org.bytedeco.pytorch.Scalar(0.01));
            q = q.sub(q.transpose(1, 2));
            Tensor eye = torch.eye(OFT_BLOCK).unsqueeze(0).expand(q.sizes().vec().get());
            Tensor r = torch.linalg_solve(eye.add(q), eye.sub(q), true).contiguous();
            WeightUpdate oft = new BlockRotationUpdate(w0, r);
            double[] dense = {Double.NaN, Double.NaN};
            List<WeightUpdate> methods = "oft".equals(System.getProperty("methods")) ? List.of(oft) : List.of(oft, lora);
            for (WeightUpdate u : methods) {
                String name = u instanceof LowRankUpdate ? "LoRA r" + LORA_RANK : "OFT b" + OFT_BLOCK + " (exact Cayley)";
                double[] structured = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
                WeightDiagnostics fast = null;
                for (int i = 0; i < repeats; i++) {
                    double[] t = new double[2];
                    fast = timed(() -> WeightAnalysis.analyse(base, u, w0, WeightAnalysis.AlignmentMode.STRUCTURED,
                            AlignmentOptions.defaults()), t);
                    structured[0] = Math.min(structured[0], t[0]);
                    structured[1] = Math.min(structured[1], t[1]);
                }
                WeightDiagnostics slow = null;
                if ("all".equals(denseMode) || ("first".equals(denseMode) && u == methods.get(0))) {
                    Tensor w1 = w0.add(u.dense());
                    slow = timed(() -> WeightAnalysis.dense(w0, w1, true, AlignmentOptions.defaults()), dense);
                }
                System.out.printf(Locale.ROOT, "| %d x %d | %s | %.1f / %.1f | %.1f / %.1f | %.3f / %.3f | %.0fx / %.0fx |%n",
                        out, in, name, svdTime[0], svdTime[1], dense[0], dense[1], structured[0], structured[1],
                        dense[0] / structured[0], dense[1] / structured[1]);
                System.out.printf(Locale.ROOT, "<!-- effective rank structured %.6g dense %s; dP mean %.6g vs %s -->%n",
                        fast.effectiveRank(), slow == null ? "not run" : String.format(Locale.ROOT, "%.6g",
                                slow.effectiveRank()), fast.summary().get("dP_mean"),
                        slow == null ? "not run" : String.format(Locale.ROOT, "%.6g", slow.summary().get("dP_mean")));
                System.out.flush();
            }
        }
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
