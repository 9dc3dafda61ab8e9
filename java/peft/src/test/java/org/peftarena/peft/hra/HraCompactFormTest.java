package org.peftarena.peft.hra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compact WY form of HRA's reflections against applying them one at a time, values and gradients. */
class HraCompactFormTest {
    private static double maxDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    private static Tensor units(int in, int r, long seed) {
        torch.manual_seed(seed);
        Tensor u = torch.randn(in, r).to(torch.ScalarType.Double);
        return u.div(u.norm(new ScalarOptional(new Scalar(2.0)), new long[] {0}, true));
    }

    @ParameterizedTest(name = "in={0} r={1}")
    @CsvSource({"12,1", "12,2", "24,5", "24,8", "40,13"})
    void compactFormEqualsSequentialReflections(int in, int r) {
        Tensor u = units(in, r, 10L * in + r);
        Tensor x = torch.randn(3, 7, in).to(torch.ScalarType.Double);
        assertTrue(maxDiff(HraLayer.reflectSequentially(x, u, r - 1, -1, -1), HraLayer.reflect(x, u, true)) < 1e-12,
                "x H_r ... H_1");
        assertTrue(maxDiff(HraLayer.reflectSequentially(x, u, 0, r, 1), HraLayer.reflect(x, u, false)) < 1e-12, "x H_1 ... H_r");
        // the product is orthogonal: applying both orders in turn gives x back
        assertTrue(maxDiff(HraLayer.reflect(HraLayer.reflect(x, u, false), u, true), x) < 1e-12, "H H^T = I");
    }

    @ParameterizedTest(name = "in={0} r={1}")
    @CsvSource({"12,3", "24,8"})
    void gradientsMatchSequentialReflections(int in, int r) {
        Tensor w = torch.randn(5, in).to(torch.ScalarType.Double);
        Tensor x0 = torch.randn(5, in).to(torch.ScalarType.Double);
        Tensor[] grads = new Tensor[4];
        for (int pass = 0; pass < 2; pass++) {
            Tensor u = units(in, r, 3L * in + r).requires_grad_(true);
            Tensor x = x0.clone().requires_grad_(true);
            Tensor y = pass == 0 ? HraLayer.reflectSequentially(x, u, r - 1, -1, -1) : HraLayer.reflect(x, u, true);
            y.mul(w).sum().backward();
            grads[2 * pass] = u.grad().clone();
            grads[2 * pass + 1] = x.grad().clone();
        }
        assertTrue(maxDiff(grads[0], grads[2]) < 1e-10, "gradient of U");
        assertTrue(maxDiff(grads[1], grads[3]) < 1e-10, "gradient of x");
    }
}
