package org.peftarena.benchmarks;

import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.HostTensors;

/** Seeded Gaussian LibTorch tensors for benchmark state. */
final class BenchInputs {
    private BenchInputs() {}

    static Tensor gaussian(long seed, float std, long... shape) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        Random random = new Random(seed);
        float[] data = new float[Math.toIntExact(count)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
        return HostTensors.floats(data, shape);
    }
}
