package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.io.NonFiniteTensorException;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.lora.LoraConfig;

/**
 * A scale that is finite in float32 but whose merged weights are not is refused when merging, naming the
 * weight and the config setting, for every method; the base weights stay as they were.
 */
class MergeOverflowTest {
    private static final String Q = "model.layers.0.self_attn.q_proj.weight";

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static void fill(PeftModel pm, double value) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Tensor p : pm.adapters().trainableParameters().values()) {
                p.fill_(new Scalar(value));
            }
        }
    }

    @Test
    void aLoraAlphaWhoseUpdateOverflowsNamesTheWeightAndTheAlpha() {
        LlamaModel model = TinyModel.create(3);
        float[] before = HostTensors.toFloats(model.weights().get(Q));
        // alpha/r = 1.5e38 is finite in float32; with A = B = 3 every entry of B A is 18, the update 2.7e39
        PeftModel pm = PeftModel.attach(model, new LoraConfig(2, 3e38), TargetModules.ALL_LINEAR, 0);
        fill(pm, 3.0);
        NonFiniteTensorException e = assertThrows(NonFiniteTensorException.class, pm::merge);
        assertTrue(e.getMessage().contains("lora_alpha 3.0E38"), e.getMessage());
        assertTrue(e.getMessage().contains("model.layers.0.self_attn.q_proj.weight"), e.getMessage());
        assertArrayEquals(before, HostTensors.toFloats(model.weights().get(Q)), "the base weight is left as it was");
        assertFalse(pm.adapters().layers().values().iterator().next().merged());
    }

    @Test
    void theSameScaleWithSmallTensorsMerges() {
        LlamaModel model = TinyModel.create(3);
        PeftModel pm = PeftModel.attach(model, new LoraConfig(2, 3e38), TargetModules.ALL_LINEAR, 0);
        fill(pm, 1e-20);
        pm.merge();
        assertTrue(pm.adapters().layers().values().iterator().next().merged());
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void aMethodWithoutAScaleSettingIsRefusedTooNamingTheWeight() {
        LlamaModel model = TinyModel.create(3);
        try (NoGradGuard g = new NoGradGuard()) {
            model.weights().get(Q).mul_(new Scalar(100.0)); // entries of about 20: 3e38 times that overflows
        }
        PeftModel pm = PeftModel.attach(model, new Ia3Config(), TargetModules.ALL_LINEAR, 0);
        fill(pm, 3e38);
        NonFiniteTensorException e = assertThrows(NonFiniteTensorException.class, pm::merge);
        assertTrue(e.getMessage().contains(".weight"), e.getMessage());
        assertFalse(e.getMessage().contains("lora_alpha"), e.getMessage());
    }
}
