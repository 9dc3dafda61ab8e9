package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.Threads;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;

/** A long training loop must not grow the process's resident memory (per-step PointerScope). */
class NativeMemoryTest {
    private static final long ALLOWED_GROWTH_MB = 24;

    @Test
    void threeHundredStepsKeepResidentMemoryFlat() throws IOException, ModelConfigException {
        Threads.Settings original = Threads.current();
        // one BLAS thread: these matrices are far too small to gain from a second one
        Threads.configure(new Threads.Settings(1, 1));
        try {
            run();
        } finally {
            Threads.configure(original);
        }
    }

    private void run() throws IOException, ModelConfigException {
        LlamaConfig c = LlamaConfig.parse("test config", """
                {"model_type": "llama", "vocab_size": 259, "hidden_size": 48, "intermediate_size": 96,
                 "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "tie_word_embeddings": true, "max_position_embeddings": 64}
                """);
        LlamaModel model = new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 3, 0.02));
        List<Tensor> params = model.setTrainable(n -> true);
        SplittableRandom rnd = new SplittableRandom(4);
        TrainingStep step = s -> {
            long[] ids = new long[4 * 32];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rnd.nextInt(259);
            }
            Tensor x = HostTensors.longs(ids, 4, 32);
            return new TrainingStep.StepLoss(model.loss(x, null, x), 4 * 31);
        };
        try (AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-3))) {
            new TrainingLoop(opt, s -> 1e-3, new GradientClipper(1.0), 30).run(step, ProgressListener.NONE, null);
            System.gc();
            long before = residentKb();
            new TrainingLoop(opt, s -> 1e-3, new GradientClipper(1.0), 300).run(step, ProgressListener.NONE, null);
            System.gc();
            long growthMb = (residentKb() - before) / 1024;
            assertTrue(growthMb < ALLOWED_GROWTH_MB, "resident memory grew by " + growthMb + " MB over 300 steps");
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
