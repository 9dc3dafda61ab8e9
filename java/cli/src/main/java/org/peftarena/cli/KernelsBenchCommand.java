package org.peftarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.bench.BenchResult;
import org.peftarena.bench.CudaKernelBench;
import org.peftarena.bench.KernelBenchSuite;
import org.peftarena.bench.KernelBenchmarks;
import org.peftarena.kernels.KernelOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Times our kernels against the LibTorch baseline on the same inputs and prints the ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time native kernels against the LibTorch calls users would make today.",
                "Without --op, runs the default sweep (the target shapes plus block sizes 8..128)."})
final class KernelsBenchCommand implements Callable<Integer> {
    enum Op { cayley, svd, svdvals, procrustes, rotate, cusolver, all }

    @Spec
    CommandSpec spec;

    @Option(names = "--op", description = "Operation: ${COMPLETION-CANDIDATES} (default: all). cusolver (--device cuda only):"
            + " cuSOLVER/cuBLAS through the CUDA presets on the CPU suite's shapes.")
    Op op = Op.all;

    @Option(names = "--batch", description = "Batch size (matrices or blocks); default 4096.")
    int batch = 4096;

    @Option(names = "--block", description = "Block size b for cayley/rotate (default 32).")
    int block = 32;

    @Option(names = {"--m", "--rows"}, description = "Rows: matrix rows for svd, sample rows for procrustes/rotate (default 32 for svd, 4096 otherwise).")
    Integer rows;

    @Option(names = {"--n", "--features"}, description = "Columns: matrix columns for svd, features for procrustes/rotate (default 32 for svd, 1024 procrustes, 4096 rotate).")
    Integer cols;

    @Option(names = "--terms", description = "Cayley: 0 = exact, k >= 1 = Neumann with k terms (default: both exact and 5).")
    Integer terms;

    @Option(names = "--warmup", description = "Unmeasured runs (default ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--reps", description = "Measured runs; min and median are reported (default ${DEFAULT-VALUE}).")
    int reps = 5;

    @Option(names = "--threads", description = "Threads for our CPU kernels (default: all cores).")
    Integer threads;

    @Option(names = "--seed", description = "Seed of the random inputs (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--device", paramLabel = "cpu|cuda[:i]", defaultValue = "cpu",
            description = "Where the kernels and the LibTorch baselines run: cpu (default) or cuda[:i] (the GPU distribution "
                    + "on a machine with a device; each timed run ends with a stream synchronisation).")
    String device = "cpu";

    @Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws IOException {
        if (reps < 1 || warmup < 0 || batch < 1 || block < 2) {
            throw new ParameterException(spec.commandLine(), "--reps >= 1, --warmup >= 0, --batch >= 1 and --block >= 2 are required");
        }
        DeviceOption.Device where = DeviceOption.parse(device, spec.commandLine());
        if (op == Op.cusolver && !where.cuda()) {
            throw new ParameterException(spec.commandLine(), "--op cusolver times cuSOLVER on a device: give --device cuda");
        }
        if (where.cuda()) {
            DeviceOption.requireUsable(where, GpuPath.detect(), spec.commandLine());
        }
        if (threads != null) {
            KernelOps.setNumThreads(threads);
        }
        KernelBenchSuite suite = new KernelBenchSuite(warmup, reps, seed);
        PrintWriter out = spec.commandLine().getOut();
        boolean text = !json.replacesText();
        if (text) {
            out.printf("device: %s, kernel path: %s, kernel threads: %d, OMP_NUM_THREADS=%s, OPENBLAS_NUM_THREADS=%s%n",
                    where, KernelOps.cpuPath(), KernelOps.numThreads(), System.getenv("OMP_NUM_THREADS"),
                    System.getenv("OPENBLAS_NUM_THREADS"));
            out.printf("%-16s %-22s %10s %10s %8s %8s %10s%n", "op", "shape", "ours ms", "torch ms", "speedup", "threads",
                    "max err");
            out.flush();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<BenchResult> results = where.cuda()
                ? run(new CudaKernelBench(warmup, reps, seed, where.index()), true) : run(suite, false);
        for (BenchResult r : results) {
            if (text) {
                out.printf("%-16s %-22s %10.3f %10.3f %7.2fx %8s %10.2e%n", r.op(), r.shape(), r.ours().minMs(),
                        r.baseline().minMs(), r.speedup(), where.cuda() ? "-" : String.valueOf(r.baselineThreads()),
                        r.maxError());
                out.flush();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("op", r.op());
            row.put("shape", r.shape());
            row.put("ours_min_ms", r.ours().minMs());
            row.put("ours_median_ms", r.ours().medianMs());
            row.put("torch_min_ms", r.baseline().minMs());
            row.put("torch_median_ms", r.baseline().medianMs());
            row.put("speedup", r.speedup());
            row.put("torch_threads", where.cuda() ? null : r.baselineThreads()); // no intra-op threads on a device
            row.put("max_error", r.maxError());
            rows.add(row);
        }
        if (text) {
            out.println("(min of " + reps + " runs after " + warmup + " warm-up; torch = "
                    + (where.cuda() ? "LibTorch on the same device, each run synchronised" : "best LibTorch intra-op thread setting")
                    + "; speedup = torch / ours)");
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", where.toString());
        doc.put("kernel_path", KernelOps.cpuPath());
        doc.put("kernel_threads", KernelOps.numThreads());
        doc.put("warmup", warmup);
        doc.put("reps", reps);
        doc.put("seed", seed);
        doc.put("results", rows);
        json.emit(out, doc);
        out.flush();
        return 0;
    }

    /** The timings asked for; the shapes' defaults are the device's (the GPU check's shapes on CUDA). */
    private List<BenchResult> run(KernelBenchmarks bench, boolean cuda) {
        List<BenchResult> results = new ArrayList<>();
        switch (op) {
            case all -> results.addAll(bench.defaultSweep());
            case svd -> results.add(bench.svd(batch, orDefault(rows, 32), orDefault(cols, 32), true));
            case svdvals -> results.add(bench.svd(batch, orDefault(rows, 32), orDefault(cols, 32), false));
            case procrustes -> results.add(cuda
                    ? ((CudaKernelBench) bench).procrustes(batch, orDefault(rows, 256), orDefault(cols, 32))
                    : ((KernelBenchSuite) bench).procrustes(orDefault(rows, 4096), orDefault(cols, 1024)));
            case cusolver -> results.addAll(((CudaKernelBench) bench).cusolverSweep());
            case rotate -> results.add(bench.rotate(orDefault(rows, cuda ? 16384 : 4096), orDefault(cols, 4096), block));
            case cayley -> {
                if (terms == null) {
                    results.add(bench.cayley(batch, block, 0));
                    results.add(bench.cayley(batch, block, 5));
                } else {
                    results.add(bench.cayley(batch, block, terms));
                }
            }
            default -> throw new IllegalStateException("unhandled op " + op);
        }
        return results;
    }

    private static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }
}
