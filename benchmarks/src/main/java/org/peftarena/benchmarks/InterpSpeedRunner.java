package org.peftarena.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.oft.CayleyTransform;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.CayleyRotations;
import org.peftarena.analysis.interp.InterpolationPath;
import org.peftarena.analysis.interp.InterpolationPaths;
import org.peftarena.analysis.interp.OftModule;
import org.peftarena.analysis.interp.PathExporter;
import org.peftarena.analysis.interp.PathFixtures;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.bench.BenchTimer;
import org.peftarena.bench.LibTorchBaselines;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;

/**
 * Times (1) producing the full 11-point path of one OFT and one LoRA run on the model named by
 * system property {@code model} (else a random model shaped like the pretraining recipe), and (2) the Cayley rotations of every alpha as one stacked
 * kernel batch against one LibTorch transform (and one kernel call) per alpha. Prints Markdown
 * tables; system property {@code repeats} sets the min-of-N (default 5).
 */
public final class InterpSpeedRunner {
    private static final AlphaGrid GRID = AlphaGrid.DEFAULT;

    private InterpSpeedRunner() {}

    public static void main(String[] args) throws Exception {
        int repeats = Integer.getInteger("repeats", 5);
        torch.set_num_threads(1);
        System.out.println("threads: LibTorch intra-op " + torch.get_num_threads() + ", kernel " + KernelOps.numThreads());
        if (!Boolean.getBoolean("kernelsOnly")) {
            pathTimes(repeats);
        }
        kernelTimes(repeats);
    }

    private static LlamaConfig recipeShape() throws Exception {
        return LlamaConfig.parse("bench", """
                {"model_type": "llama", "hidden_size": 192, "intermediate_size": 512, "num_hidden_layers": 4,
                 "num_attention_heads": 6, "num_key_value_heads": 2, "vocab_size": 259, "max_position_embeddings": 128,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""");
    }

    private static void pathTimes(int repeats) throws Exception {
        String shipped = System.getProperty("model");
        LlamaModel base;
        if (shipped != null) {
            base = HfModelDirectory.load(Path.of(shipped), ModelDType.FLOAT32);
        } else {
            LlamaConfig config = recipeShape();
            base = new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 1, 0.02));
        }
        System.out.println("model: " + (shipped != null ? shipped : "random, shaped like the pretraining recipe"));
        long[] ids = new long[16 * 128];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 31L + 7) % 256;
        }
        Tensor batch = HostTensors.longs(ids, 16, 128);
        Path tmp = Files.createTempDirectory("interp-bench");
        HfModelDirectory.save(base, tmp.resolve("base"));
        KernelOps kernels = KernelOps.cpu();
        System.out.println();
        System.out.println("| run | path | open (ms) | 11 moves (ms) | open + 11 moves + 11 forwards of 16x128 tokens (ms) | one forward (ms) | export 11 checkpoints (ms) |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<Object[]> runs = new ArrayList<>();
        runs.add(new Object[] {"OFT b32 (Neumann 5)", new OftConfig(32, CayleyVariant.NEUMANN_5), PathKind.CAYLEY});
        runs.add(new Object[] {"OFT b32 (Neumann 5)", new OftConfig(32, CayleyVariant.NEUMANN_5), PathKind.DENSE});
        runs.add(new Object[] {"OFT b32 (exact)", new OftConfig(32, CayleyVariant.EXACT), PathKind.CAYLEY});
        runs.add(new Object[] {"LoRA r4", new LoraConfig(4, 8), PathKind.LINEAR});
        runs.add(new Object[] {"LoRA r4", new LoraConfig(4, 8), PathKind.DENSE});
        for (Object[] run : runs) {
            AdapterCheckpoint adapter = PathFixtures.adapter(base, (PeftConfig) run[1], 3, 0.02);
            PathKind kind = (PathKind) run[2];
            BenchTimer.Timing open = BenchTimer.time(() -> InterpolationPaths.open(base, adapter, kind, GRID, kernels).close(), 1, repeats);
            InterpolationPath path = InterpolationPaths.open(base, adapter, kind, GRID, kernels);
            BenchTimer.Timing moves = BenchTimer.time(() -> {
                for (int i = 0; i < GRID.size(); i++) {
                    path.moveTo(i);
                }
            }, 1, repeats);
            BenchTimer.Timing forward = BenchTimer.time(() -> forward(path.model(), batch), 1, repeats);
            path.close();
            BenchTimer.Timing full = BenchTimer.time(() -> {
                try (InterpolationPath p = InterpolationPaths.open(base, adapter, kind, GRID, kernels)) {
                    for (int i = 0; i < GRID.size(); i++) {
                        p.moveTo(i);
                        forward(p.model(), batch);
                    }
                }
            }, 1, repeats);
            BenchTimer.Timing export = BenchTimer.time(() -> {
                try (InterpolationPath p = InterpolationPaths.open(base, adapter, kind, GRID, kernels)) {
                    PathExporter.export(p, tmp.resolve("base"), tmp.resolve("export"), "bench");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, 0, Math.min(3, repeats));
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.0f | %.1f | %.0f |%n", run[0], kind.cliName(), open.minMs(),
                    moves.minMs(), full.minMs(), forward.minMs(), export.minMs());
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static void forward(LlamaModel model, Tensor batch) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            model.forward(batch, null).sum().item_double();
        }
    }

    /** Qwen2.5-7B blocks per layer at b: q, k, v, gate, up and o read 3584 features, down 18944. */
    private static int qwenLayerBlocks(int b) {
        return (6 * 3584 + 18944) / b;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static void kernelTimes(int repeats) {
        System.out.println();
        System.out.println("| blocks x b | variant | stacked kernel, 11 alphas in one call (ms) | kernel, one call per alpha (ms) | LibTorch, one transform per alpha, best of 1/2 threads (ms) | LibTorch / stacked | max abs diff vs LibTorch |");
        System.out.println("|---|---|---|---|---|---|---|");
        int[][] shapes = {{208, 32}, {qwenLayerBlocks(32), 32}, {4 * qwenLayerBlocks(32), 32}, {qwenLayerBlocks(16), 16}, {qwenLayerBlocks(64), 64}};
        KernelOps kernels = KernelOps.cpu();
        double[] scales = CayleyRotations.sqrtScales(GRID);
        for (int[] s : shapes) {
            int blocks = s[0];
            int b = s[1];
            torch.manual_seed(5);
            Tensor packed = torch.randn(blocks, (long) b * (b - 1) / 2).mul(new Scalar(0.01));
            OftModule module = new OftModule("model.layers.0.mlp.up_proj", 0, "k", packed, b);
            Tensor triu = CayleyTransform.triangleIndices(b);
            for (int terms : new int[] {5, 0}) {
                CayleyVariant v = terms == 0 ? CayleyVariant.EXACT
                        : CayleyVariant.neumannSeries(terms);
                BenchTimer.Timing stacked = BenchTimer.time(() -> {
                    try (PointerScope scope = new PointerScope()) {
                        CayleyRotations.compute(kernels, List.of(module), scales, v).get(0).sum().item_double();
                    }
                }, 1, repeats);
                // the same output as the stacked call: every alpha's rotations kept, [alphas, blocks, b, b]
                BenchTimer.Timing perAlphaKernel = BenchTimer.time(() -> {
                    try (PointerScope scope = new PointerScope()) {
                        Tensor out = torch.empty(new long[] {scales.length, blocks, b, b});
                        for (int i = 0; i < scales.length; i++) {
                            kernels.cayley(packed.data_ptr().address(), blocks, b, v, (float) scales[i],
                                    out.select(0, i).data_ptr().address());
                        }
                        out.sum().item_double();
                    }
                }, 1, repeats);
                BenchTimer.Timing best = null;
                for (int threads : new int[] {1, 2}) {
                    torch.set_num_threads(threads);
                    BenchTimer.Timing t = BenchTimer.time(() -> {
                        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                            double sum = 0;
                            for (double sc : scales) {
                                Tensor p = packed.mul(new Scalar(sc));
                                Tensor r = terms == 0 ? LibTorchBaselines.cayleyExact(p, triu, b)
                                        : LibTorchBaselines.cayleyNeumann(p, triu, b, terms);
                                sum += r.sum().item_double();
                            }
                        }
                    }, 1, repeats);
                    best = best == null || t.minMs() < best.minMs() ? t : best;
                }
                torch.set_num_threads(1);
                Tensor ours = CayleyRotations.compute(kernels, List.of(module), scales, v).get(0);
                double diff = 0;
                for (int i = 0; i < scales.length; i++) {
                    Tensor p = packed.mul(new Scalar(scales[i]));
                    Tensor ref = terms == 0 ? LibTorchBaselines.cayleyExact(p, triu, b) : LibTorchBaselines.cayleyNeumann(p, triu, b, terms);
                    diff = Math.max(diff, ours.select(0, i).sub(ref).abs().max().item_double());
                }
                System.out.printf(Locale.ROOT, "| %d x %d | %s | %.2f | %.2f | %.2f | %.2fx | %.1e |%n", blocks, b, v, stacked.minMs(),
                        perAlphaKernel.minMs(), best.minMs(), best.minMs() / stacked.minMs(), diff);
            }
        }
    }
}
