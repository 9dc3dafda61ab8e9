package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelWeights;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.dora.DoraConfig;
import org.peftarena.peft.full.FullConfig;

/**
 * Adapters over a bfloat16 base kept frozen as stored and computed in float32: the base stays
 * bfloat16 and untouched, and loss, gradients, an update and the merge agree with the same
 * adapters over the base widened to float32.
 */
class FrozenBaseTrainingTest {
    static Stream<Arguments> storedBaseMethods() {
        return MethodCases.all().stream().filter(c -> c.method().trainsOnStoredBase())
                .map(c -> Arguments.of(c.method().cliName() + " " + c, c));
    }

    private static ModelWeights bf16Weights() {
        return WeightInitializer.initialize(TinyLinears.CONFIG, ModelDType.BFLOAT16, 5, 0.2);
    }

    @Test
    void loraIaThreeAndMissTrainOnAStoredBase() {
        assertEquals(3L, storedBaseMethods().count(), "the methods that declare it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedBaseMethods")
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void adaptersOverABfloat16BaseMatchTheFloat32Widening(String name, PeftConfig config) {
        // as in a trainer's step: the scope holds the frozen base's gradient hooks until the backward pass
        try (PointerScope scope = new PointerScope()) {
            ModelWeights bf16 = bf16Weights();
            LlamaModel frozen = new LlamaModel(TinyLinears.CONFIG, bf16, ModelDType.FLOAT32);
            LlamaModel widened = HfModelDirectory.convert(new LlamaModel(TinyLinears.CONFIG, bf16), ModelDType.FLOAT32);
            Map<String, Tensor> before = new java.util.HashMap<>();
            bf16.asMap().forEach((k, v) -> before.put(k, v.clone()));

            PeftModel onFrozen = PeftModel.attach(frozen, config, TargetModules.ALL_LINEAR, 11);
            PeftModel onWidened = PeftModel.attach(widened, config, TargetModules.ALL_LINEAR, 11);
            torch.manual_seed(3);
            TinyLinears.perturb(onFrozen.adapters(), 0.1);
            torch.manual_seed(3);
            TinyLinears.perturb(onWidened.adapters(), 0.1);

            Tensor ids = TinyModel.tokens();
            for (int step = 0; step < 2; step++) {
                Tensor loss = frozen.loss(ids, null, ids);
                Tensor expected = widened.loss(ids, null, ids);
                loss.backward();
                expected.backward();
                TorchAsserts.assertClose(expected, loss, 1e-5, 1e-5, name + " loss, step " + step);
                double largest = 0;
                for (Map.Entry<String, Tensor> e : onWidened.trainableParameters().entrySet()) {
                    Tensor p = onFrozen.trainableParameters().get(e.getKey());
                    assertEquals(torch.ScalarType.Float, p.scalar_type().intern(), e.getKey() + " trains in float32");
                    TorchAsserts.assertClose(e.getValue().grad(), p.grad(), 1e-6, 1e-4, name + " gradient of " + e.getKey());
                    largest = Math.max(largest, TorchAsserts.maxAbs(p.grad()));
                }
                assertTrue(largest > 1e-4, name + ": gradients are not trivially zero");
                try (NoGradGuard g = new NoGradGuard()) { // one plain gradient step on both
                    for (PeftModel pm : new PeftModel[] {onFrozen, onWidened}) {
                        for (Tensor p : pm.trainableParameters().values()) {
                            p.sub_(p.grad().mul(new Scalar(0.5)));
                            p.grad().zero_();
                        }
                    }
                }
            }
            for (Map.Entry<String, Tensor> e : bf16.asMap().entrySet()) {
                Tensor w = frozen.weights().get(e.getKey());
                assertEquals(torch.ScalarType.BFloat16, w.scalar_type().intern(), e.getKey());
                assertFalse(w.requires_grad(), e.getKey() + " stays frozen");
                assertFalse(w.grad().defined(), e.getKey() + " gets no gradient");
                assertTrue(torch.equal(before.get(e.getKey()), w), e.getKey() + " unchanged by training");
            }

            onFrozen.merge();
            onWidened.merge();
            for (String n : bf16.names()) {
                Tensor merged = frozen.weights().get(n);
                assertEquals(torch.ScalarType.BFloat16, merged.scalar_type().intern(), n + " merges into bfloat16");
                TorchAsserts.assertClose(widened.weights().get(n).to(torch.ScalarType.BFloat16), merged, 1e-6, 8e-3,
                        name + " merged " + n);
            }
        }
    }

    @Test
    void fullFinetuningAndMethodsThatNeedFloat32WeightsRefuseANarrowBase() {
        LlamaModel frozen = new LlamaModel(TinyLinears.CONFIG, bf16Weights(), ModelDType.FLOAT32);
        PeftException full = assertThrows(PeftException.class,
                () -> PeftModel.attach(frozen, new FullConfig(), TargetModules.ALL_LINEAR, 1));
        assertTrue(full.getMessage().contains("float32"), full.getMessage());
        PeftException dora = assertThrows(PeftException.class,
                () -> PeftModel.attach(frozen, new DoraConfig(4, 8), TargetModules.ALL_LINEAR, 1));
        assertTrue(dora.getMessage().contains("load it in float32"), dora.getMessage());
        LlamaModel bf16Compute = new LlamaModel(TinyLinears.CONFIG, bf16Weights());
        PeftException lora = assertThrows(PeftException.class, () -> PeftModel.attach(bf16Compute,
                new org.peftarena.peft.lora.LoraConfig(4, 8), TargetModules.ALL_LINEAR, 1));
        assertTrue(lora.getMessage().contains("computes in BFLOAT16"), lora.getMessage());
    }
}
