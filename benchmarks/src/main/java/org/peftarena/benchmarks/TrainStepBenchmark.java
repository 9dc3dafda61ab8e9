package org.peftarena.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.peftarena.model.HostTensors;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.BudgetMatcher;
import org.peftarena.peft.ModelShape;
import org.peftarena.peft.ModelShapeReader;
import org.peftarena.peft.ParameterBudget;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.GradientClipper;

/**
 * One SFT training step (forward, loss, backward, clipping, AdamW update) per method on the shipped
 * model, every method with a size knob matched to the parameter budget of LoRA at rank
 * {@code budgetRank} on all linear layers, as the arena matches them. Methods without a knob (full,
 * ia3) run at their only size.
 *
 * <p>The model directory is {@code models/tiny-europarl} under the working directory, or the
 * {@code peftarena.bench.model} system property.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainStepBenchmark {
    @Param({"lora", "oft", "full", "dora", "pissa", "milora", "adalora", "keeplora", "miss", "vera", "ia3", "boft", "hra"})
    String method;

    @Param({"4"})
    int budgetRank;

    @Param({"8"})
    int batch;

    @Param({"128"})
    int seqLen;

    @Param({"2"})
    int torchThreads;

    private LlamaModel model;
    private PeftModel peft;
    private AdamWOptimizer optimizer;
    private List<Tensor> params;
    private Tensor inputs;
    private Tensor mask;
    private Tensor labels;
    private final GradientClipper clipper = new GradientClipper(GradientClipper.DEFAULT_MAX_NORM);

    /** The shipped model's directory. */
    static Path modelDir() {
        Path dir = Path.of(System.getProperty("peftarena.bench.model", "models/tiny-europarl"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("model directory " + dir.toAbsolutePath()
                    + " not found: run from the repository root or set -Dpeftarena.bench.model=DIR");
        }
        return dir;
    }

    /** The configuration of {@code method} matched to the LoRA rank-{@code rank} budget (or its default). */
    static PeftConfig matchedConfig(ModelShape shape, PeftMethod method, TargetModules targets, int rank) {
        PeftConfig base = method.defaultConfig();
        if (method.knob() == PeftMethod.SizeKnob.NONE) {
            return base;
        }
        long budget = ParameterBudget.count(shape, new LoraConfig().withSize(rank), targets).total();
        return BudgetMatcher.match(shape, base, targets, budget).config();
    }

    @Setup(Level.Trial)
    public void setup() {
        torch.set_num_threads(torchThreads);
        Path dir = modelDir();
        try {
            model = HfModelDirectory.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TargetModules targets = TargetModules.ALL_LINEAR;
        PeftConfig config = matchedConfig(ModelShapeReader.read(dir), PeftMethod.parse(method), targets, budgetRank);
        peft = PeftModel.attach(model, config, targets, 1);
        long[] ids = new long[batch * seqLen];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rnd.nextInt(256);
        }
        inputs = HostTensors.longs(ids, batch, seqLen);
        labels = inputs.clone();
        mask = torch.ones_like(inputs);
        if (peft.needsGradientInit()) {
            peft.initFromGradient(() -> model.loss(inputs, mask, labels));
        }
        params = new ArrayList<>(peft.trainableParameters().values());
        optimizer = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-4));
        System.out.printf("%n%s: %s, %d trainable parameters%n", method, config, peft.trainableCount());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
    }

    /** One optimizer step on a fixed batch. */
    @Benchmark
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public double step() {
        try (PointerScope scope = new PointerScope()) {
            Tensor loss = model.loss(inputs, mask, labels);
            double v = loss.item_double();
            loss.backward();
            clipper.clip(params);
            optimizer.step();
            optimizer.zeroGrad();
            return v;
        }
    }
}
