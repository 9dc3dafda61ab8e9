package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every adapter implementation keeps, checked on a tiny random model's linear layers. */
class AdapterContractTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> methods() {
        return MethodCases.arguments();
    }

    private static AdapterSet fresh(PeftConfig config, long seed) {
        AdapterSet set = AdapterSet.attach(config, TargetModules.ALL_LINEAR, TinyLinears.create(3), seed);
        TinyLinears.initialiseGradientMethods(set);
        return set;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void identityAtInitialisation(String name, PeftConfig config) {
        AdapterSet set = fresh(config, 1);
        for (AdapterLayer l : set.layers().values()) {
            Tensor x = TinyLinears.input(l.base());
            TorchAsserts.assertClose(l.base().forward(x), l.forward(x), 1e-5, 1e-5, name + " " + l.base().path());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void mergedForwardEqualsUnmergedAndUnmergeRestores(String name, PeftConfig config) {
        AdapterSet set = fresh(config, 1);
        TinyLinears.perturb(set, 0.1);
        Map<String, Tensor> inputs = new HashMap<>();
        Map<String, Tensor> unmerged = new HashMap<>();
        Map<String, Tensor> w0 = new HashMap<>();
        Map<String, Tensor> b0 = new HashMap<>();
        for (AdapterLayer l : set.layers().values()) {
            Tensor x = TinyLinears.input(l.base());
            inputs.put(l.base().path(), x);
            unmerged.put(l.base().path(), l.forward(x).detach().clone());
            w0.put(l.base().path(), l.base().weight().detach().clone());
            if (l.base().bias() != null) {
                b0.put(l.base().path(), l.base().bias().detach().clone());
            }
        }
        set.merge();
        boolean changesWeights = !config.method().wholeModel();
        for (AdapterLayer l : set.layers().values()) {
            String p = l.base().path();
            TorchAsserts.assertClose(unmerged.get(p), l.forward(inputs.get(p)), 1e-4, 1e-4, name + " merged " + p);
            if (changesWeights) {
                assertTrue(TorchAsserts.maxAbs(l.base().weight().sub(w0.get(p))) > 1e-6, name + ": merge left " + p + " unchanged");
            }
        }
        set.unmerge();
        for (AdapterLayer l : set.layers().values()) {
            String p = l.base().path();
            TorchAsserts.assertClose(w0.get(p), l.base().weight(), 1e-5, 1e-4, name + " unmerged weight " + p);
            if (b0.containsKey(p)) {
                TorchAsserts.assertClose(b0.get(p), l.base().bias(), 1e-6, 1e-5, name + " unmerged bias " + p);
            }
            TorchAsserts.assertClose(unmerged.get(p), l.forward(inputs.get(p)), 1e-4, 1e-4, name + " after unmerge " + p);
        }
        assertThrows(PeftException.class, set::unmerge);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void onlyTheMethodsParametersGetGradientsAndTheirCountIsTheBudget(String name, PeftConfig config) {
        AdapterSet set = fresh(config, 1);
        TinyLinears.perturb(set, 0.05);
        Tensor loss = null;
        for (AdapterLayer l : set.layers().values()) {
            Tensor term = l.forward(TinyLinears.input(l.base())).pow(new org.bytedeco.pytorch.Scalar(2)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        for (Map.Entry<String, Tensor> e : set.trainableParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            assertTrue(g.defined(), name + ": no gradient for " + e.getKey());
            assertTrue(TorchAsserts.maxAbs(g) > 0, name + ": zero gradient for " + e.getKey());
        }
        if (!config.method().wholeModel()) {
            for (AdapterLayer l : set.layers().values()) {
                assertFalse(l.base().weight().requires_grad(), name + ": base weight trains");
                assertFalse(l.base().weight().grad().defined(), name + ": base weight got a gradient");
            }
        }
        BudgetReport budget = ParameterBudget.count(TinyLinears.SHAPE, config, TargetModules.ALL_LINEAR);
        assertEquals(budget.total() - budget.blockExtra(), set.trainableCount(), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void stateDictRoundTripIsExact(String name, PeftConfig config) {
        AdapterSet trained = fresh(config, 1);
        TinyLinears.perturb(trained, 0.1);
        AdapterSet other = fresh(config, 2);
        other.load(trained.stateDict());
        Map<String, Tensor> a = trained.stateDict();
        Map<String, Tensor> b = other.stateDict();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, t) -> assertTrue(t.equal(b.get(k)), name + ": " + k + " differs after load"));
        for (AdapterLayer l : trained.layers().values()) {
            Tensor x = TinyLinears.input(l.base());
            TorchAsserts.assertClose(l.forward(x), other.layer(l.base().path()).forward(x), 1e-6, 1e-6, name + " reloaded forward");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void loadRejectsMissingUnexpectedAndMisshapenTensors(String name, PeftConfig config) {
        AdapterSet set = fresh(config, 1);
        Map<String, Tensor> state = new LinkedHashMap<>(set.stateDict());
        String first = state.keySet().iterator().next();
        Map<String, Tensor> missing = new LinkedHashMap<>(state);
        missing.remove(first);
        assertThrows(AdapterFormatException.class, () -> set.load(missing));
        Map<String, Tensor> extra = new LinkedHashMap<>(state);
        extra.put("base_model.model.model.layers.0.self_attn.q_proj.lora_X", state.get(first));
        assertThrows(AdapterFormatException.class, () -> set.load(extra));
        Map<String, Tensor> misshapen = new LinkedHashMap<>(state);
        misshapen.put(first, org.bytedeco.pytorch.global.torch.zeros(3, 1));
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> set.load(misshapen));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    static List<String> names() {
        return MethodCases.all().stream().map(c -> c.method().cliName()).toList();
    }
}
