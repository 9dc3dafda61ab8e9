package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.peftarena.peft.oft.CayleyTransform;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;

/** The stacked all-alphas kernel call against the engine's LibTorch transform, one alpha at a time. */
class CayleyRotationsTest {
    private static OftModule module(String path, int blocks, int b, long seed) {
        torch.manual_seed(seed);
        Tensor packed = torch.randn(blocks, (long) b * (b - 1) / 2).mul(new Scalar(0.2));
        return new OftModule(path, OftGenerators.layerOf(path), "base_model.model." + path + ".oft_R.weight", packed, b);
    }

    @ParameterizedTest(name = "neumann terms {0} (0 = exact)")
    @ValueSource(ints = {0, 5, 3})
    void everyAlphaAtOnceEqualsOneLibTorchTransformPerAlpha(int terms) {
        List<OftModule> modules = List.of(module("model.layers.0.mlp.up_proj", 5, 4, 1),
                module("model.layers.0.mlp.down_proj", 3, 8, 2), module("model.layers.1.mlp.up_proj", 2, 4, 3),
                module("model.layers.1.self_attn.q_proj", 1, 130, 4));
        AlphaGrid grid = AlphaGrid.parse("0,0.25,0.5,1,2");
        CayleyVariant v = terms == 0 ? CayleyVariant.EXACT : CayleyVariant.neumannSeries(terms);
        double[] scales = CayleyRotations.sqrtScales(grid);
        List<Tensor> all = CayleyRotations.compute(KernelOps.cpu(), modules, scales, v);
        List<Tensor> chunked = CayleyRotations.compute(KernelOps.cpu(), modules, scales, v, 64);
        for (int m = 0; m < modules.size(); m++) {
            OftModule mod = modules.get(m);
            assertEquals(List.of((long) grid.size(), (long) mod.blocks(), (long) mod.blockSize(), (long) mod.blockSize()),
                    java.util.Arrays.stream(all.get(m).sizes().vec().get()).boxed().toList());
            for (int i = 0; i < grid.size(); i++) {
                Tensor want = CayleyTransform.rotations(mod.packed().mul(new Scalar(scales[i])), mod.blockSize(), v);
                double d = PathFixtures.maxAbsDiff(all.get(m).select(0, i), want);
                assertTrue(d <= 2e-5, mod.path() + " alpha " + grid.get(i) + ": " + d);
                assertEquals(0.0, PathFixtures.maxAbsDiff(all.get(m).select(0, i), chunked.get(m).select(0, i)),
                        "splitting the batch changes nothing");
            }
            assertEquals(0.0, PathFixtures.maxAbsDiff(all.get(m).select(0, 0),
                    torch.eye(mod.blockSize()).unsqueeze(0).expand(mod.blocks(), mod.blockSize(), mod.blockSize())),
                    "alpha 0 is the identity");
        }
    }

    @Test
    void badScalesAndBlockShapesAreClearErrors() {
        List<OftModule> modules = List.of(module("model.layers.0.mlp.up_proj", 2, 4, 1));
        assertThrows(PathException.class, () -> CayleyRotations.compute(KernelOps.cpu(), modules, new double[] {Double.NaN},
                CayleyVariant.EXACT));
        assertThrows(PathException.class, () -> OftGenerators.layerOf("lm_head"));
        assertThrows(PathException.class, () -> AlphaGrid.parse("0:1:-0.1"));
    }
}
