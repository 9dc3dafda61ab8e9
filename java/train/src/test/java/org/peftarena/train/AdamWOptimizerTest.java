package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;

/** LibTorch AdamW driven through the wrapper against the AdamW equations written out in Java. */
class AdamWOptimizerTest {
    private static final double LR = 0.1;
    private static final double[][] GRADS = {{1.0, -2.0}, {3.0, 0.5}, {-1.0, 1.0}};

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void matchesTheEquationsWithBetasNinetyNinetyFiveAndDecayOnMatricesOnly() {
        Tensor matrix = HostTensors.floats(new float[] {1f, 2f}, 1, 2).set_requires_grad(true);
        Tensor vector = HostTensors.floats(new float[] {1f, 2f}, 2).set_requires_grad(true);
        AdamWConfig config = AdamWConfig.withLearningRate(LR);
        try (AdamWOptimizer opt = new AdamWOptimizer(List.of(matrix, vector), config)) {
            for (double[] g : GRADS) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor gt = HostTensors.floats(new float[] {(float) g[0], (float) g[1]}, 2);
                    matrix.reshape(2).mul(gt).sum().add(vector.mul(gt).sum()).backward();
                    opt.step();
                    opt.zeroGrad();
                }
            }
        }
        double[] expectedMatrix = reference(new double[] {1, 2}, 0.01);
        double[] expectedVector = reference(new double[] {1, 2}, 0.0);
        float[] m = HostTensors.toFloats(matrix);
        float[] v = HostTensors.toFloats(vector);
        for (int i = 0; i < 2; i++) {
            assertEquals(expectedMatrix[i], m[i], 1e-6, "matrix " + i);
            assertEquals(expectedVector[i], v[i], 1e-6, "vector " + i);
        }
    }

    private static double[] reference(double[] w, double weightDecay) {
        double b1 = 0.9;
        double b2 = 0.95;
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] x = w.clone();
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < x.length; i++) {
                double g = GRADS[t - 1][i];
                x[i] *= 1 - LR * weightDecay;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                x[i] -= LR * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        return x;
    }

    @Test
    void rejectsFrozenOrNoParameters() {
        AdamWConfig c = AdamWConfig.withLearningRate(1e-3);
        assertThrows(IllegalArgumentException.class, () -> new AdamWOptimizer(List.of(), c));
        assertThrows(IllegalArgumentException.class,
                () -> new AdamWOptimizer(List.of(HostTensors.floats(new float[] {1f}, 1)), c));
        assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(1e-3, 1.0, 0.95, 1e-8, 0.01));
    }
}
