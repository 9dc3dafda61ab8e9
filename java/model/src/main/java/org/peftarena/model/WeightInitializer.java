package org.peftarena.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LlamaConfig;

/**
 * Fresh weights for pretraining: normal(0, std) matrices with the residual output projections
 * (o_proj, down_proj) scaled by {@code 1/sqrt(2 L)} so the residual stream's variance does not
 * grow with depth, zero biases, unit norm weights. Drawn in Java from a seeded generator, so the
 * same seed gives bit-identical weights on every machine.
 */
public final class WeightInitializer {
    /** Hugging Face Llama's initializer_range. */
    public static final double DEFAULT_STD = 0.02;

    private WeightInitializer() {
    }

    /**
     * @param config architecture
     * @param dtype  dtype of the returned weights
     * @param seed   generator seed
     * @param std    standard deviation of matrix entries, > 0
     */
    public static ModelWeights initialize(LlamaConfig config, ModelDType dtype, long seed, double std) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("std must be > 0, got " + std);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double residualStd = std / Math.sqrt(2.0 * config.numHiddenLayers());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ModelWeights.expectedShapes(config).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            int n = Math.toIntExact(numel(shape));
            float[] values = new float[n];
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else if (!name.endsWith(".bias")) {
                boolean residual = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight");
                double s = residual ? residualStd : std;
                for (int i = 0; i < n; i++) {
                    values[i] = (float) (rnd.nextGaussian() * s);
                }
            }
            out.put(name, HostTensors.floats(values, shape).to(dtype.scalarType()));
        }
        return new ModelWeights(out, dtype);
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
