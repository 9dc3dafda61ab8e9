package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.adalora.AdaLoraLayer;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/** AdaLoRA adapter files in HF PEFT's layout: un-suffixed {@code lora_A/E/B} keys and the pruned {@code rank_pattern}. */
class AdaLoraAdapterFileTest {
    private static final String Q0 = "model.layers.0.self_attn.q_proj";
    private static final String Q1 = "model.layers.1.self_attn.q_proj";
    private static final String DOWN1 = "model.layers.1.mlp.down_proj";
    @SuppressWarnings("InlineFormatString") // the adapter config template reads best next to the module names
    private static final String CONFIG = """
            {"peft_type": "ADALORA", "task_type": "CAUSAL_LM", "r": 8, "lora_alpha": 6, "lora_dropout": 0.1,
             "target_modules": ["q_proj"], "bias": "none", "use_dora": false, "use_rslora": false, "fan_in_fan_out": false,
             "init_lora_weights": true, "modules_to_save": null, "layers_to_transform": null,
             "target_r": 2, "init_r": 3, "tinit": 0, "tfinal": 0, "deltaT": 1, "beta1": 0.85, "beta2": 0.85,
             "orth_reg_weight": 0.5, "total_step": 100,
             "rank_pattern": {"%s.lora_E": %s, "%s.lora_E": [false, false, true]}}""";

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    /** Writes layer 0 with triplets 0 and 2 kept, layer 1 with triplet 2 kept, as HF PEFT stores a pruned adapter. */
    private static float[][] writeHfDir(Path dir, String pattern0, int rank0) throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        float[][] t = {random(rng, rank0 * 16), random(rng, rank0), random(rng, 16 * rank0), random(rng, 16), random(rng, 1), random(rng, 16)};
        String p = AdapterSet.KEY_PREFIX;
        new SafetensorsWriter().metadata("format", "pt")
                .addFloats(p + Q0 + ".lora_A", new long[] {rank0, 16}, t[0])
                .addFloats(p + Q0 + ".lora_E", new long[] {rank0, 1}, t[1])
                .addFloats(p + Q0 + ".lora_B", new long[] {16, rank0}, t[2])
                .addFloats(p + Q1 + ".lora_A", new long[] {1, 16}, t[3])
                .addFloats(p + Q1 + ".lora_E", new long[] {1, 1}, t[4])
                .addFloats(p + Q1 + ".lora_B", new long[] {16, 1}, t[5])
                .write(dir.resolve(AdapterIO.WEIGHTS_FILE));
        Files.writeString(dir.resolve(AdapterIO.CONFIG_FILE), String.format(CONFIG, Q0, pattern0, Q1));
        return t;
    }

    @Test
    void hfPrunedAdapterMergesToW0PlusScaledBEA(@TempDir Path dir) throws Exception {
        float[][] t = writeHfDir(dir, "[true, false, true]", 2);
        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        assertEquals(new AdaLoraConfig(2, 3, 6, 0, 0, 1, 0.85, 0.85, 0.5, 100), ckpt.config());
        LlamaModel m = TinyModel.create(5);
        float[] w0 = HostTensors.toFloats(m.weights().get(Q0 + ".weight"));
        float[] w1 = HostTensors.toFloats(m.weights().get(Q1 + ".weight"));
        PeftModel pm = PeftModel.attach(m, ckpt.config(), ckpt.targets(), 0);
        assertEquals(2, pm.adapters().layers().size());
        pm.adapters().load(ckpt.tensors());
        assertArrayEquals(new boolean[] {true, false, true}, ((AdaLoraLayer) pm.adapters().layer(Q0)).rankPattern());
        assertArrayEquals(new boolean[] {false, false, true}, ((AdaLoraLayer) pm.adapters().layer(Q1)).rankPattern());
        pm.merge();
        double s = 6 / (3 + 1e-5);
        assertMerged(w0, HostTensors.toFloats(m.weights().get(Q0 + ".weight")), t[0], t[1], t[2], 2, s);
        assertMerged(w1, HostTensors.toFloats(m.weights().get(Q1 + ".weight")), t[3], t[4], t[5], 1, s);
    }

    private static void assertMerged(float[] w0, float[] merged, float[] a, float[] e, float[] b, int k, double s) {
        for (int o = 0; o < 16; o++) {
            for (int i = 0; i < 16; i++) {
                double d = 0;
                for (int r = 0; r < k; r++) {
                    d += b[o * k + r] * (double) e[r] * a[r * 16 + i];
                }
                assertEquals(w0[o * 16 + i] + s * d, merged[o * 16 + i], 1e-4, "[" + o + "," + i + "]");
            }
        }
    }

    @Test
    void aPatternThatDisagreesWithTheStoredRanksIsAnError(@TempDir Path dir) throws Exception {
        writeHfDir(dir, "[true, true, true]", 2);
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir));
        assertTrue(e.getMessage().contains("rank_pattern keeps 3"), e.getMessage());
        writeHfDir(dir, "[true, true]", 2);
        e = assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir));
        assertTrue(e.getMessage().contains("3 booleans"), e.getMessage());
    }

    @Test
    void anUnprunedAdapterOfAnotherRankDoesNotLoad(@TempDir Path dir) throws Exception {
        PeftModel pm = PeftModel.attach(TinyModel.create(5), new AdaLoraConfig(2, 3), TargetModules.ALL_LINEAR, 1);
        AdapterIO.save(pm.adapters(), dir, "tiny");
        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        PeftModel wider = PeftModel.attach(TinyModel.create(5), new AdaLoraConfig(2, 4), TargetModules.ALL_LINEAR, 1);
        AdapterFormatException e = assertThrows(AdapterFormatException.class, () -> wider.adapters().load(ckpt.tensors()));
        assertTrue(e.getMessage().contains("shape mismatch"), e.getMessage());
    }

    @Test
    void aPrunedAdapterIsSavedTruncatedWithItsRankPatternAndReloadsToTheSameFunction(@TempDir Path dir) throws Exception {
        LlamaModel model = TinyModel.create(5);
        PeftModel pm = PeftModel.attach(model, new AdaLoraConfig(2, 3), TargetModules.ALL_LINEAR, 1);
        TinyLinears.perturb(pm.adapters(), 0.3);
        AdaLoraLayer l0 = (AdaLoraLayer) pm.adapters().layer(Q0);
        l0.mask(new boolean[] {false, true, true});
        ((AdaLoraLayer) pm.adapters().layer(Q1)).mask(new boolean[] {true, false, false});
        ((AdaLoraLayer) pm.adapters().layer(DOWN1)).mask(new boolean[] {false, false, false});
        Tensor expected = model.forward(TinyModel.tokens(), null).detach().clone();
        AdapterIO.save(pm.adapters(), dir, "tiny");

        JsonNode json = new ObjectMapper().readTree(dir.resolve(AdapterIO.CONFIG_FILE).toFile());
        assertEquals("ADALORA", json.get("peft_type").asText());
        assertEquals("[false,true,true]", json.get("rank_pattern").get(Q0 + ".lora_E").toString());
        assertEquals("[true,true,true]", json.get("rank_pattern").get("model.layers.0.self_attn.k_proj.lora_E").toString());
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(AdapterIO.WEIGHTS_FILE))) {
            assertArrayEquals(new long[] {2, 16}, f.info(AdapterSet.KEY_PREFIX + Q0 + ".lora_A").shape());
            assertArrayEquals(new long[] {2, 1}, f.info(AdapterSet.KEY_PREFIX + Q0 + ".lora_E").shape());
            assertArrayEquals(new long[] {16, 1}, f.info(AdapterSet.KEY_PREFIX + Q1 + ".lora_B").shape());
            assertArrayEquals(new long[] {16, 0}, f.info(AdapterSet.KEY_PREFIX + DOWN1 + ".lora_B").shape(), "HF PEFT allows rank 0");
            assertArrayEquals(new long[] {3, 16}, f.info(AdapterSet.KEY_PREFIX + "model.layers.0.self_attn.k_proj.lora_A").shape());
        }

        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        LlamaModel fresh = TinyModel.create(5);
        PeftModel loaded = PeftModel.attach(fresh, ckpt.config(), ckpt.targets(), 7);
        loaded.adapters().load(ckpt.tensors());
        TorchAsserts.assertClose(expected, fresh.forward(TinyModel.tokens(), null), 1e-6, 1e-6, "reloaded pruned adapter");
        assertArrayEquals(new boolean[] {false, true, true}, ((AdaLoraLayer) loaded.adapters().layer(Q0)).rankPattern());
        assertArrayEquals(new boolean[3], ((AdaLoraLayer) loaded.adapters().layer(DOWN1)).rankPattern());
        assertNull(((AdaLoraLayer) loaded.adapters().layer("model.layers.0.self_attn.k_proj")).rankPattern());
    }

    @Test
    void anUnmaskedAdapterIsSavedWithoutRankPattern(@TempDir Path dir) throws Exception {
        PeftModel pm = PeftModel.attach(TinyModel.create(5), new AdaLoraConfig(2, 3).withTotalSteps(40), TargetModules.ALL_LINEAR, 1);
        AdapterIO.save(pm.adapters(), dir, "tiny");
        JsonNode json = new ObjectMapper().readTree(dir.resolve(AdapterIO.CONFIG_FILE).toFile());
        assertTrue(json.get("rank_pattern").isNull());
        assertEquals(40, json.get("total_step").asInt());
        assertEquals(3, json.get("init_r").asInt());
        assertEquals(2, json.get("target_r").asInt());
        assertEquals(new AdaLoraConfig(2, 3).withTotalSteps(40), AdapterIO.load(dir).config());
    }
}
