package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;

/** The clipped policy loss and the KL estimate against hand-computed values, values and gradients. */
class GrpoLossTest {
    private static Tensor logs(double... ratios) {
        float[] v = new float[ratios.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.log(ratios[i]);
        }
        return HostTensors.floats(v, 2, ratios.length / 2);
    }

    @Test
    @SuppressWarnings("try") // scope guard used for its extent
    void clippingActiveAndInactive() {
        try (PointerScope scope = new PointerScope()) {
            // row 0 (A = +1): ratios 1.1 (inside), 1.5 (clipped to 1.2), padding
            // row 1 (A = -1): ratios 1.5 (not clipped: the unclipped term is larger), 0.5 (clipped to 0.8), padding
            Tensor old = logs(1, 1, 1, 1, 1, 1);
            Tensor newLogs = logs(1.1, 1.5, 3.0, 1.5, 0.5, 3.0).set_requires_grad(true);
            Tensor adv = HostTensors.floats(new float[] {1f, -1f}, 2, 1);
            Tensor mask = HostTensors.floats(new float[] {1, 1, 0, 1, 1, 0}, 2, 3);
            Tensor loss = GrpoLoss.policyLoss(newLogs, old, adv, mask, 0.2);
            double expected = (-1.1 - 1.2 + 1.5 + 0.8) / 4;
            assertEquals(expected, loss.item_double(), 1e-6);
            loss.backward();
            // d/dlogp of -A r is -A r where unclipped, 0 where the clipped term is the maximum; / 4 tokens
            float[] grad = HostTensors.toFloats(newLogs.grad());
            assertArrayEquals(new float[] {(float) (-1.1 / 4), 0f, 0f, (float) (1.5 / 4), 0f, 0f}, grad, 1e-6f);
            assertEquals(0.75, GrpoLoss.clippedFraction(newLogs, old, mask, 0.2), 1e-9); // 1.5, 1.5 and 0.5 lie outside [0.8, 1.2]
        }
    }

    @Test
    @SuppressWarnings("try") // scope guard used for its extent
    void ratioOneIsThePlainPolicyGradient() {
        try (PointerScope scope = new PointerScope()) {
            Tensor old = logs(0.3, 0.6, 0.2, 0.9);
            Tensor same = logs(0.3, 0.6, 0.2, 0.9).set_requires_grad(true);
            Tensor adv = HostTensors.floats(new float[] {2f, -0.5f}, 2, 1);
            Tensor mask = HostTensors.floats(new float[] {1, 1, 1, 1}, 2, 2);
            Tensor loss = GrpoLoss.policyLoss(same, old, adv, mask, 0.2);
            assertEquals((-2 - 2 + 0.5 + 0.5) / 4.0, loss.item_double(), 1e-6);
            loss.backward();
            assertArrayEquals(new float[] {-0.5f, -0.5f, 0.125f, 0.125f}, HostTensors.toFloats(same.grad()), 1e-6f);
        }
    }

    @Test
    @SuppressWarnings("try") // scope guard used for its extent
    void klEstimateIsZeroAtTheReferenceAndMatchesTheFormula() {
        try (PointerScope scope = new PointerScope()) {
            Tensor mask = HostTensors.floats(new float[] {1, 1, 1, 0}, 2, 2);
            Tensor ref = logs(0.5, 0.5, 0.5, 0.5);
            assertEquals(0.0, GrpoLoss.klToReference(logs(0.5, 0.5, 0.5, 0.9), ref, mask).item_double(), 1e-7);
            double d1 = Math.log(0.5 / 0.25);
            double d2 = Math.log(0.5 / 0.75);
            double expected = ((Math.exp(d1) - d1 - 1) + (Math.exp(d2) - d2 - 1) + 0) / 3;
            assertEquals(expected, GrpoLoss.klToReference(logs(0.25, 0.75, 0.5, 0.1), ref, mask).item_double(), 1e-6);
        }
    }
}
