package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.dora.DoraConfig;
import org.peftarena.peft.hra.HraConfig;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.miss.MissConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.peft.pissa.PissaConfig;
import org.peftarena.peft.vera.VeraConfig;
import org.peftarena.kernels.KernelOps;

class InterpolationPathTest {
    /** fp32 logits of a 6-block model: a few ulps of values of order 1 per layer. */
    private static final double LOGIT_ATOL = 2e-5;
    private static final AlphaGrid GRID = AlphaGrid.parse("0,0.3,0.5,1,1.5");
    private static final KernelOps KERNELS = KernelOps.cpu();

    static Stream<Arguments> cases() {
        List<PeftConfig> methods = List.of(new LoraConfig(4, 8), new PissaConfig(2), new Ia3Config(List.of("down_proj")),
                new VeraConfig(6, 0.1, 7), new MissConfig(4), new DoraConfig(4, 8), new HraConfig(2), new AdaLoraConfig(2, 3),
                new OftConfig(4, CayleyVariant.NEUMANN_5), new OftConfig(8, CayleyVariant.EXACT));
        return methods.stream().flatMap(c -> Stream.of(PathKind.AUTO, PathKind.DENSE)
                .map(k -> Arguments.of(c.method().cliName() + " " + k.cliName() + " " + c, c, k)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void alphaZeroIsTheBaseAndAlphaOneTheMergedModel(String name, PeftConfig config, PathKind kind) {
        LlamaModel base = PathFixtures.model(3);
        LlamaModel pristine = PathFixtures.copy(base);
        AdapterCheckpoint adapter = PathFixtures.adapter(base, config, 5, 0.1);
        Tensor baseLogits = PathFixtures.logits(base);
        Tensor mergedLogits = PathFixtures.logits(PathFixtures.merged(base, adapter));
        assertTrue(PathFixtures.maxAbsDiff(baseLogits, mergedLogits) > 1e-3, "the adapter must change the model");
        try (InterpolationPath path = InterpolationPaths.open(base, adapter, kind, GRID, KERNELS)) {
            assertEquals(kind.resolve(config.method()), path.kind());
            path.moveTo(GRID.indexOf(1.0));
            double atOne = PathFixtures.maxAbsDiff(PathFixtures.logits(base), mergedLogits);
            assertTrue(atOne <= LOGIT_ATOL, name + ": alpha = 1 differs from the merged model by " + atOne);
            path.moveTo(GRID.indexOf(0.0));
            double atZero = PathFixtures.maxAbsDiff(PathFixtures.logits(base), baseLogits);
            assertTrue(atZero <= LOGIT_ATOL, name + ": alpha = 0 differs from the base by " + atZero);
            path.moveTo(GRID.indexOf(0.5));
            double half = PathFixtures.maxAbsDiff(PathFixtures.logits(base), baseLogits);
            assertTrue(half > 1e-4, name + ": alpha = 0.5 should move the model");
        }
        assertTrue(PathFixtures.sameWeights(base, pristine), "closing the path restores the base weights bit for bit");
        assertEquals(0.0, PathFixtures.maxAbsDiff(PathFixtures.logits(base), baseLogits), "closing removes the adapter forwards");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linearMethods")
    void scalingTheAdapterEqualsDenseInterpolation(String name, PeftConfig config) {
        LlamaModel base = PathFixtures.model(4);
        AdapterCheckpoint adapter = PathFixtures.adapter(base, config, 6, 0.1);
        AlphaGrid grid = AlphaGrid.parse("0.2,0.7,1.3");
        Tensor[] dense = new Tensor[grid.size()];
        try (InterpolationPath path = InterpolationPaths.open(base, adapter, PathKind.DENSE, grid, KERNELS)) {
            for (int i = 0; i < grid.size(); i++) {
                path.moveTo(i);
                dense[i] = PathFixtures.logits(base);
            }
        }
        try (InterpolationPath path = InterpolationPaths.open(base, adapter, PathKind.LINEAR, grid, KERNELS)) {
            assertTrue(path instanceof AdapterScalingPath, "linear methods are scaled, not densified");
            for (int i = 0; i < grid.size(); i++) {
                path.moveTo(i);
                double d = PathFixtures.maxAbsDiff(PathFixtures.logits(base), dense[i]);
                assertTrue(d <= LOGIT_ATOL, name + " alpha " + grid.get(i) + ": scaled adapter vs dense path " + d);
            }
        }
    }

    static Stream<Arguments> linearMethods() {
        return Stream.of(new LoraConfig(4, 8), new PissaConfig(2), new Ia3Config(List.of("down_proj")),
                new VeraConfig(6, 0.1, 7), new MissConfig(4), new AdaLoraConfig(2, 3)).map(c -> Arguments.of(c.method().cliName(), c));
    }

    @Test
    void cayleyIsOnlyForOft() {
        LlamaModel base = PathFixtures.model(3);
        AdapterCheckpoint lora = PathFixtures.adapter(base, new LoraConfig(2, 4), 1, 0.1);
        assertThrows(PathException.class, () -> InterpolationPaths.open(base, lora, PathKind.CAYLEY, GRID, KERNELS));
        assertEquals(PathKind.DENSE, PathKind.LINEAR.resolve(org.peftarena.peft.dora.DoraMethod.ID));
        assertEquals(PathKind.CAYLEY, PathKind.AUTO.resolve(org.peftarena.peft.oft.OftMethod.ID));
        assertEquals(PathKind.DENSE, PathKind.AUTO.resolve(org.peftarena.peft.full.FullMethod.ID));
        assertThrows(PathException.class, () -> PathKind.parse("geodesic"));
    }

    @Test
    void fullFinetuningInterpolatesEveryChangedTensor() {
        LlamaModel base = PathFixtures.model(3);
        LlamaModel tuned = PathFixtures.model(4);
        Tensor tunedLogits = PathFixtures.logits(tuned);
        Tensor baseLogits = PathFixtures.logits(base);
        try (InterpolationPath path = InterpolationPaths.openTuned(base, tuned.weights(), PathKind.AUTO, GRID)) {
            path.moveTo(GRID.indexOf(1.0));
            assertEquals(0.0, PathFixtures.maxAbsDiff(PathFixtures.logits(base), tunedLogits), "lerp is exact at 1");
            path.moveTo(GRID.indexOf(0.0));
            assertEquals(0.0, PathFixtures.maxAbsDiff(PathFixtures.logits(base), baseLogits), "lerp is exact at 0");
        }
        assertThrows(PathException.class, () -> InterpolationPaths.openTuned(base, tuned.weights(), PathKind.CAYLEY, GRID));
    }
}
