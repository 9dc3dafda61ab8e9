package org.peftarena.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.Threads;
import org.peftarena.model.WeightInitializer;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.pretrain.Pretrain;
import org.peftarena.train.pretrain.PretrainOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures training throughput of the tiny-europarl architecture: forward + backward + clip +
 * AdamW on random byte batches, reporting the fastest of N timed steps after warm-up.
 * Usage: {@code ThroughputProbe <intra-op threads> <blas threads> [steps] [batch] [length]}.
 */
public final class ThroughputProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputProbe.class);

    private ThroughputProbe() {
    }

    /** Measured step times. */
    public record Measurement(Threads.Settings threads, int batch, int length, double minSeconds,
                              double medianSeconds) {
        /** Tokens per second of the fastest step. */
        public double bestTokensPerSecond() {
            return batch * (double) length / minSeconds;
        }

        /** Tokens per second of the median step. */
        public double medianTokensPerSecond() {
            return batch * (double) length / medianSeconds;
        }
    }

    /**
     * @param threads thread settings to apply
     * @param steps   timed steps (after 3 warm-up steps)
     * @param batch   rows per step
     * @param length  tokens per row
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Measurement measure(Threads.Settings threads, int steps, int batch, int length) {
        Threads.configure(threads);
        LlamaConfig config = Pretrain.config(PretrainOptions.tinyEuroparl(Path.of("unused")));
        LlamaModel model = new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 1, 0.02));
        List<Tensor> params = model.setTrainable(n -> true);
        SplittableRandom rnd = new SplittableRandom(7);
        double[] times = new double[steps];
        GradientClipper clipper = new GradientClipper(1.0);
        try (AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-3))) {
            for (int s = -3; s < steps; s++) {
                long[] ids = new long[batch * length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = rnd.nextInt(256);
                }
                long t0 = System.nanoTime();
                try (PointerScope scope = new PointerScope()) {
                    Tensor x = HostTensors.longs(ids, batch, length);
                    model.loss(x, null, x).backward();
                    clipper.clip(params);
                    opt.step();
                    opt.zeroGrad();
                }
                if (s >= 0) {
                    times[s] = (System.nanoTime() - t0) / 1e9;
                }
            }
        }
        double[] sorted = times.clone();
        java.util.Arrays.sort(sorted);
        return new Measurement(threads, batch, length, sorted[0], sorted[steps / 2]);
    }

    /** @param args intra-op threads, BLAS threads, optional steps, batch, length */
    public static void main(String[] args) {
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int length = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        Measurement m = measure(new Threads.Settings(Integer.parseInt(args[0]), Integer.parseInt(args[1])), steps,
                batch, length);
        LOG.info(String.format("threads %s batch %dx%d: min %.3f s/step (%.0f tok/s), median %.3f s/step (%.0f tok/s)",
                m.threads(), batch, length, m.minSeconds(), m.bestTokensPerSecond(), m.medianSeconds(),
                m.medianTokensPerSecond()));
    }
}
