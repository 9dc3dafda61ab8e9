package org.peftarena.peft.vera;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.peft.BaseLinear;

/** VeRA's two forward forms (per token, through the merged weight): same values, same gradients. */
class VeraLayerPathsTest {
    private static double maxDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static VeraLayer layer(int rank, boolean bias) {
        torch.manual_seed(rank);
        BaseLinear base = new BaseLinear("model.layers.0.mlp.up_proj", torch.randn(20, 16), bias ? torch.randn(20) : null);
        VeraLayer layer = new VeraLayer(base, new VeraConfig(rank, 0.1, 3), new VeraProjections(rank, 16, 20, 3, base.device()));
        try (NoGradGuard g = new NoGradGuard()) {
            layer.trainable().get("vera_lambda_b").copy_(torch.randn(20).mul(new Scalar(0.3)));
            layer.trainable().get("vera_lambda_d").copy_(torch.randn(rank).mul(new Scalar(0.3)));
        }
        return layer;
    }

    @Test
    void bothFormsGiveTheSameValuesAndGradients() {
        for (boolean bias : new boolean[] {false, true}) {
            VeraLayer layer = layer(40, bias);
            Tensor x0 = torch.randn(3, 9, 16);
            Tensor w = torch.randn(3, 9, 20);
            Tensor[] out = new Tensor[8];
            for (int pass = 0; pass < 2; pass++) {
                for (Tensor p : layer.trainable().values()) {
                    if (p.grad().defined()) {
                        p.grad().zero_();
                    }
                }
                Tensor x = x0.clone().requires_grad_(true);
                Tensor y = pass == 0 ? layer.forwardPerToken(x) : layer.forwardViaWeight(x);
                y.mul(w).sum().backward();
                out[4 * pass] = y.detach();
                out[4 * pass + 1] = x.grad().clone();
                out[4 * pass + 2] = layer.trainable().get("vera_lambda_b").grad().clone();
                out[4 * pass + 3] = layer.trainable().get("vera_lambda_d").grad().clone();
            }
            String[] what = {"output", "gradient of x", "gradient of lambda_b", "gradient of lambda_d"};
            for (int i = 0; i < 4; i++) {
                double scale = Math.max(1, out[i].abs().max().item_double());
                assertTrue(maxDiff(out[i], out[4 + i]) < 1e-4 * scale, what[i] + " (bias " + bias + ")");
            }
        }
    }

    @Test
    void theCheaperFormIsChosenByRankAndTokens() {
        VeraLayer small = layer(2, false);
        VeraLayer large = layer(400, false);
        assertFalse(small.weightPathIsCheaper(64), "rank 2: per token");
        assertTrue(large.weightPathIsCheaper(64), "rank 400 on a 20 x 16 layer: through the weight");
        assertFalse(large.weightPathIsCheaper(1), "a single token: per token");
        Tensor x = torch.randn(8, 16);
        assertTrue(maxDiff(large.forward(x), large.forwardPerToken(x)) < 1e-4 * Math.max(1, large.forward(x).abs().max().item_double()),
                "forward() takes a form with the per-token values");
    }
}
