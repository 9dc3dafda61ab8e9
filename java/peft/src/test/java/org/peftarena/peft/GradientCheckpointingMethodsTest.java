package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;

/**
 * Gradient checkpointing under every method: the recomputed blocks run the adapters again inside the backward pass
 * (their own gradient hooks included: native OFT and BOFT rotations, the exact Cayley transform's VJP, the frozen
 * bfloat16 base's product), and the loss and every trainable tensor's gradient are those of the ordinary pass.
 */
class GradientCheckpointingMethodsTest {
    /** The loss, then each trainable tensor's gradient, of two backward passes (gradients accumulate across them). */
    @SuppressWarnings("try") // scope guards are used for their extent
    private static Map<String, Tensor> run(PeftConfig config, boolean checkpoint, ModelDType stored) {
        LlamaModel model = new LlamaModel(TinyLinears.CONFIG,
                WeightInitializer.initialize(TinyLinears.CONFIG, stored, 5, 0.2), ModelDType.FLOAT32);
        PeftModel peft = PeftModel.attach(model, config, TargetModules.ALL_LINEAR, 11);
        torch.manual_seed(3);
        TinyLinears.initialiseGradientMethods(peft.adapters());
        TinyLinears.perturb(peft.adapters(), 0.1);
        model.setGradientCheckpointing(checkpoint);
        Map<String, Tensor> out = new LinkedHashMap<>();
        float[][] losses = new float[2][];
        Tensor ids = TinyModel.tokens();
        for (int pass = 0; pass < 2; pass++) {
            try (PointerScope scope = new PointerScope()) { // as in a trainer's step
                Tensor loss = model.loss(ids, null, ids);
                loss.backward();
                losses[pass] = HostTensors.toFloats(loss.detach());
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            out.put("loss " + pass, HostTensors.floats(losses[pass], 1));
        }
        peft.trainableParameters().forEach((k, v) -> out.put(k, v.grad().clone()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.peftarena.peft.MethodCases#arguments")
    void everyMethodsLossAndGradientsAreTheOrdinaryPasses(String name, PeftConfig config) {
        compare(name, config, ModelDType.FLOAT32);
    }

    @ParameterizedTest(name = "{0} over a bfloat16 base")
    @MethodSource("org.peftarena.peft.FrozenBaseTrainingTest#storedBaseMethods")
    void overAFrozenBfloat16BaseToo(String name, PeftConfig config) {
        compare(name, config, ModelDType.BFLOAT16);
    }

    private static void compare(String name, PeftConfig config, ModelDType stored) {
        Map<String, Tensor> plain = run(config, false, stored);
        Map<String, Tensor> checkpointed = run(config, true, stored);
        assertTrue(plain.keySet().equals(checkpointed.keySet()), name + ": the same tensors train");
        double largest = 0;
        for (Map.Entry<String, Tensor> e : plain.entrySet()) {
            TorchAsserts.assertClose(e.getValue(), checkpointed.get(e.getKey()), 0, 0, name + " " + e.getKey() + " (bit for bit)");
            if (!e.getKey().startsWith("loss")) {
                largest = Math.max(largest, TorchAsserts.maxAbs(e.getValue()));
            }
        }
        assertTrue(largest > 1e-4, name + ": gradients are not trivially zero");
    }
}
