package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearShape;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.ModelShape;
import org.peftarena.peft.ParameterBudget;
import org.peftarena.peft.ParameterInit;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.train.ProgressListener;

/**
 * A method defined in this file alone: registered at run time, it trains, counts its parameters,
 * and saves and loads in HF PEFT layout through the same central code as the built-in methods.
 */
class ToyMethodRegistrationTest {
    /** Per-output-channel bias shifts: {@code y = x W0^T + b + d}, {@code d (out)} trainable, zero at start. */
    record ChannelBiasConfig(double initValue) implements PeftConfig {
        @Override
        public PeftMethod method() {
            return ChannelBiasMethod.ID;
        }

        @Override
        public long moduleParams(LinearShape m) {
            return m.out();
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public PeftConfig withSize(int size) {
            throw new PeftException("channel-bias has no size");
        }
    }

    static final class ChannelBiasLayer extends AdapterLayer {
        private final Tensor shift;

        ChannelBiasLayer(BaseLinear base, double initValue) {
            super(base);
            shift = ParameterInit.filled(base.device(), initValue, base.out());
        }

        @Override
        protected Tensor adaptedForward(Tensor x) {
            return base.forward(x).add(shift);
        }

        @Override
        public Map<String, Tensor> trainable() {
            return named("channel_shift", shift);
        }

        @Override
        protected void mergeIntoBase() {
            throw new PeftException("the toy method does not merge");
        }

        @Override
        protected void unmergeFromBase() {
            throw new PeftException("the toy method does not merge");
        }
    }

    static final class ChannelBiasMethod implements PeftMethodProvider<ChannelBiasConfig> {
        static final PeftMethod ID = PeftMethod.of("channel-bias", PeftMethod.SizeKnob.NONE, "CHANNEL_BIAS");

        @Override
        public PeftMethod method() {
            return ID;
        }

        @Override
        public Class<ChannelBiasConfig> configType() {
            return ChannelBiasConfig.class;
        }

        @Override
        public List<MethodOption<?>> options() {
            return List.of();
        }

        @Override
        public ChannelBiasConfig configFor(MethodOptions options) {
            return new ChannelBiasConfig(0.0);
        }

        @Override
        public LayerFactory layers(ChannelBiasConfig config, List<BaseLinear> targeted, long seed) {
            return (base, moduleSeed) -> new ChannelBiasLayer(base, config.initValue());
        }

        @Override
        public void writeConfig(ChannelBiasConfig config, ObjectNode json) {
            json.put("init_value", config.initValue());
        }

        @Override
        public ChannelBiasConfig readConfig(JsonNode json, Map<String, String> metadata) {
            if (!json.path("init_value").isNumber()) {
                throw new AdapterFormatException("adapter_config.json: 'init_value' must be a number");
            }
            return new ChannelBiasConfig(json.get("init_value").asDouble());
        }

        @Override
        public double defaultLearningRate() {
            return 5e-2;
        }
    }

    @BeforeAll
    static void register() {
        MethodRegistry.registerIfAbsent(new ChannelBiasMethod());
    }

    @Test
    void aRegisteredMethodTrainsCountsSavesAndLoads(@TempDir Path out) throws Exception {
        PeftMethod method = PeftMethod.parse("channel-bias");
        assertEquals(ChannelBiasMethod.ID, method);
        assertTrue(PeftMethod.names().endsWith(", channel-bias"), PeftMethod.names());
        PeftConfig config = MethodOptions.DEFAULTS.configFor(method);
        assertEquals(new ChannelBiasConfig(0.0), config);
        assertEquals(5e-2, DefaultLearningRates.forMethod(method));
        assertEquals("--rank does not apply to channel-bias", assertThrows(PeftException.class,
                () -> MethodOptions.DEFAULTS.with(MethodOption.RANK, 4).configFor(method)).getMessage());

        // 2 layers, outputs q 32 + k 16 + v 16 + o 32 + gate 48 + up 48 + down 32 = 224 per layer
        long expected = 2L * (32 + 16 + 16 + 32 + 48 + 48 + 32);
        LlamaConfig modelConfig = LlamaConfig.parse("tiny", SftTrainerTest.CONFIG);
        assertEquals(expected, ParameterBudget.count(ModelShape.of(modelConfig), config, TargetModules.ALL_LINEAR).total());

        SftResult r = SftTrainer.train(SftTrainerTest.model(), SftTrainerTest.batches(1), config, TargetModules.ALL_LINEAR,
                SftTrainerTest.options(40, DefaultLearningRates.forMethod(method)), new SftTrainer.Output(out, false, "tiny"),
                ProgressListener.NONE);
        assertEquals(expected, r.model().adapters().trainableCount());
        List<Double> l = r.losses();
        assertTrue(l.get(l.size() - 1) < l.get(0), "loss " + l.get(0) + " -> " + l.get(l.size() - 1));

        JsonNode json = new ObjectMapper().readTree(out.resolve(AdapterIO.CONFIG_FILE).toFile());
        assertEquals("CHANNEL_BIAS", json.get("peft_type").asText());
        assertEquals(0.0, json.get("init_value").asDouble());

        AdapterCheckpoint loaded = AdapterIO.load(out);
        assertEquals(config, loaded.config());
        assertEquals(TargetModules.ALL_LINEAR, loaded.targets());
        Map<String, Tensor> saved = r.model().adapters().stateDict();
        assertEquals(saved.keySet(), loaded.tensors().keySet());
        boolean moved = false;
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            float[] s = HostTensors.toFloats(e.getValue().detach());
            assertArrayEquals(s, HostTensors.toFloats(loaded.tensors().get(e.getKey())), e.getKey());
            for (float v : s) {
                moved |= v != 0f;
            }
        }
        assertTrue(moved, "training changed the shifts");
        assertTrue(saved.keySet().iterator().next().endsWith(".channel_shift"), saved.keySet().toString());
        assertFalse(MethodRegistry.registerIfAbsent(new ChannelBiasMethod()), "a name registers once");
    }
}
