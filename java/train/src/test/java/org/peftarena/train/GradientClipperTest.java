package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;

class GradientClipperTest {
    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void scalesTheGlobalNormDownToTheLimitAndLeavesSmallGradientsAlone() {
        Tensor a = HostTensors.floats(new float[] {0f, 0f}, 2).set_requires_grad(true);
        Tensor b = HostTensors.floats(new float[] {0f}, 1).set_requires_grad(true);
        Tensor unused = HostTensors.floats(new float[] {0f}, 1).set_requires_grad(true);
        try (PointerScope scope = new PointerScope()) {
            // gradients (3, 4) and (12): global norm 13
            a.mul(HostTensors.floats(new float[] {3f, 4f}, 2)).sum()
                    .add(b.mul(HostTensors.floats(new float[] {12f}, 1)).sum()).backward();
            double norm = new GradientClipper(1.0).clip(List.of(a, b, unused));
            assertEquals(13.0, norm, 1e-6);
            float[] ga = HostTensors.toFloats(a.grad());
            assertEquals(3.0 / 13, ga[0], 1e-6);
            assertEquals(4.0 / 13, ga[1], 1e-6);
            assertEquals(12.0 / 13, HostTensors.toFloats(b.grad())[0], 1e-6);
            double after = new GradientClipper(5.0).clip(List.of(a, b));
            assertEquals(1.0, after, 1e-5);
            assertArrayEquals(ga, HostTensors.toFloats(a.grad()));
        }
    }
}
