package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/** Adapters installed in a tiny random decoder through its forward replacement hook. */
class PeftModelTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> methods() {
        return MethodCases.arguments();
    }

    private static PeftModel attach(LlamaModel model, PeftConfig config, long seed) {
        PeftModel pm = PeftModel.attach(model, config, TargetModules.ALL_LINEAR, seed);
        if (pm.needsGradientInit()) {
            pm.initFromGradient(() -> model.loss(TinyModel.tokens(), null, TinyModel.tokens()));
        }
        return pm;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void identityAtInitMergeEqualsUnmergedAndUnmergeRestores(String name, PeftConfig config) {
        LlamaModel model = TinyModel.create(5);
        Tensor base = model.forward(TinyModel.tokens(), null).detach().clone();
        Map<String, Tensor> w0 = new HashMap<>();
        model.weights().asMap().forEach((k, v) -> w0.put(k, v.detach().clone()));
        PeftModel pm = attach(model, config, 11);
        TorchAsserts.assertClose(base, model.forward(TinyModel.tokens(), null), 1e-5, 1e-5, name + " identity at init");

        TinyLinears.perturb(pm.adapters(), 0.1);
        Tensor adapted = model.forward(TinyModel.tokens(), null).detach().clone();
        if (!config.method().wholeModel()) {
            assertTrue(TorchAsserts.maxAbs(adapted.sub(base)) > 1e-4, name + ": perturbed adapter changes nothing");
        }
        pm.merge();
        TorchAsserts.assertClose(adapted, model.forward(TinyModel.tokens(), null), 1e-4, 1e-4, name + " merged");
        pm.detach();
        TorchAsserts.assertClose(adapted, model.forward(TinyModel.tokens(), null), 1e-4, 1e-4, name + " merged, adapters removed");
        if (!config.method().wholeModel()) {
            pm.unmerge();
            model.weights().asMap().forEach((k, v) -> TorchAsserts.assertClose(w0.get(k), v, 1e-5, 1e-4, name + " unmerged " + k));
            TorchAsserts.assertClose(base, model.forward(TinyModel.tokens(), null), 1e-4, 1e-4, name + " base after unmerge");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void trainableCountEqualsTheParamsCommandsCount(String name, PeftConfig config) {
        LlamaModel model = TinyModel.create(5);
        PeftModel pm = attach(model, config, 11);
        long expected = ParameterBudget.count(ModelShape.of(model.config()), config, TargetModules.ALL_LINEAR).total();
        assertEquals(expected, pm.trainableCount(), name);
        long requiringGrad = model.weights().asMap().values().stream().filter(Tensor::requires_grad).mapToLong(Tensor::numel).sum();
        assertEquals(config.method().wholeModel() ? expected : 0, requiringGrad, name + ": frozen model weights");
        Tensor loss = model.loss(TinyModel.tokens(), null, TinyModel.tokens());
        loss.backward();
        for (Map.Entry<String, Tensor> e : pm.trainableParameters().entrySet()) {
            assertTrue(e.getValue().grad().defined(), name + ": no gradient reaches " + e.getKey());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void adapterDirectoryRoundTripIsExact(String name, PeftConfig config, @TempDir Path dir) throws Exception {
        if (config.method().wholeModel()) {
            assertThrows(AdapterFormatException.class, () -> AdapterIO.save(attach(TinyModel.create(5), config, 1).adapters(), dir, "tiny"));
            return;
        }
        LlamaModel model = TinyModel.create(5);
        PeftModel trained = attach(model, config, 11);
        TinyLinears.perturb(trained.adapters(), 0.1);
        Tensor expected = model.forward(TinyModel.tokens(), null).detach().clone();
        AdapterIO.save(trained.adapters(), dir, "tiny");

        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        assertEquals(config, ckpt.config());
        LlamaModel fresh = TinyModel.create(5);
        PeftModel loaded = PeftModel.attach(fresh, ckpt.config(), ckpt.targets(), 99);
        loaded.adapters().load(ckpt.tensors());
        Map<String, Tensor> a = trained.adapters().stateDict();
        loaded.adapters().stateDict().forEach((k, t) -> assertTrue(t.equal(a.get(k)), name + ": " + k + " differs"));
        TorchAsserts.assertClose(expected, fresh.forward(TinyModel.tokens(), null), 1e-6, 1e-6, name + " reloaded");
    }

    @Test
    void adapterDoesNotFitAnotherShape(@TempDir Path dir) throws Exception {
        PeftModel pm = attach(TinyModel.create(5), new org.peftarena.peft.lora.LoraConfig(4, 8), 1);
        AdapterIO.save(pm.adapters(), dir, "tiny");
        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        PeftModel wider = PeftModel.attach(TinyModel.create(5), new org.peftarena.peft.lora.LoraConfig(5, 8), TargetModules.ALL_LINEAR, 1);
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> wider.adapters().load(ckpt.tensors()));
        assertTrue(e.getMessage().contains("shape mismatch"), e.getMessage());
    }

    @Test
    void targetsThatMatchNothingAreAnError() {
        PeftException e = assertThrows(PeftException.class, () -> PeftModel.attach(TinyModel.create(5),
                new org.peftarena.peft.lora.LoraConfig(), TargetModules.ofNames(java.util.List.of("c_attn")), 1));
        assertTrue(e.getMessage().contains("c_attn"), e.getMessage());
    }
}
