package org.peftarena.peft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.io.SafetensorsDtype;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;

/**
 * Adapters written the way HF PEFT writes them (keys, shapes, config fields; values chosen here) are
 * read and applied with HF PEFT's semantics, checked against merged weights computed in double.
 */
class HfAdapterReadTest {
    private static final String CONFIG = """
            {"model_type": "llama", "hidden_size": 8, "intermediate_size": 12, "num_hidden_layers": 1,
             "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 20, "max_position_embeddings": 32,
             "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""";

    static LlamaModel model() throws Exception {
        LlamaConfig c = LlamaConfig.parse("tiny", CONFIG);
        return new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 2, 0.3));
    }

    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return v;
    }

    static void writeDir(Path dir, String configJson, SafetensorsWriter w) throws Exception {
        Files.writeString(dir.resolve("adapter_config.json"), configJson, StandardCharsets.UTF_8);
        w.write(dir.resolve("adapter_model.safetensors"));
    }

    @Test
    void loraWithListTargetsAndBf16Weights(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        float[] a = random(rng, 2 * 8, 0.5); // lora_A (r=2, in=8)
        float[] b = random(rng, 4 * 2, 0.5); // lora_B on v_proj (out=4, r=2)
        float[] aq = random(rng, 2 * 8, 0.5);
        float[] bq = random(rng, 8 * 2, 0.5);
        String prefix = "base_model.model.model.layers.0.self_attn.";
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .addFloats(prefix + "q_proj.lora_A.weight", SafetensorsDtype.BF16, new long[] {2, 8}, aq)
                .addFloats(prefix + "q_proj.lora_B.weight", SafetensorsDtype.BF16, new long[] {8, 2}, bq)
                .addFloats(prefix + "v_proj.lora_A.weight", new long[] {2, 8}, a)
                .addFloats(prefix + "v_proj.lora_B.weight", new long[] {4, 2}, b);
        writeDir(dir, """
                {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 2, "lora_alpha": 6, "lora_dropout": 0.05,
                 "target_modules": ["v_proj", "q_proj"], "bias": "none", "use_dora": false, "use_rslora": false,
                 "fan_in_fan_out": false, "init_lora_weights": true, "modules_to_save": null,
                 "layers_to_transform": null, "rank_pattern": {}, "alpha_pattern": {}, "revision": null,
                 "base_model_name_or_path": "tiny", "inference_mode": true}""", w);

        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        assertEquals(new LoraConfig(2, 6), ckpt.config());
        LlamaModel m = model();
        float[] w0 = HostTensors.toFloats(m.weights().get("model.layers.0.self_attn.v_proj.weight"));
        PeftModel pm = PeftModel.attach(m, ckpt.config(), ckpt.targets(), 0);
        assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj"), List.copyOf(pm.adapters().layers().keySet()));
        pm.adapters().load(ckpt.tensors());
        pm.merge();
        float[] merged = HostTensors.toFloats(m.weights().get("model.layers.0.self_attn.v_proj.weight"));
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 8; i++) {
                double delta = 0;
                for (int k = 0; k < 2; k++) {
                    delta += b[o * 2 + k] * a[k * 8 + i];
                }
                assertEquals(w0[o * 8 + i] + 3.0 * delta, merged[o * 8 + i], 1e-5, "v_proj[" + o + "," + i + "]");
            }
        }
    }

    @Test
    void oftRegexTargetsApplyWTimesRTransposeWithTheNeumannSeries(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(2);
        int b = 4;
        float[] packed = random(rng, 2 * 6, 0.2); // o_proj in = 8: 2 blocks of 6
        SafetensorsWriter w = new SafetensorsWriter()
                .addFloats("base_model.model.model.layers.0.self_attn.o_proj.oft_R.weight", new long[] {2, 6}, packed);
        writeDir(dir, """
                {"peft_type": "OFT", "r": 0, "oft_block_size": 4, "target_modules": ".*\\\\.o_proj",
                 "use_cayley_neumann": true, "num_cayley_neumann_terms": 5, "coft": false, "block_share": false,
                 "module_dropout": 0.0, "eps": 6e-05, "init_weights": true, "bias": "none"}""", w);
        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        assertEquals(new OftConfig(4, CayleyVariant.NEUMANN_5), ckpt.config());
        float[][] before = oProjBeforeAndAfterMerge(ckpt);
        float[] w0 = before[0];
        float[] merged = before[1];
        for (int blk = 0; blk < 2; blk++) {
            double[][] r = neumann5(packed, blk, b);
            for (int o = 0; o < 8; o++) {
                for (int c = 0; c < b; c++) {
                    double v = 0; // (W0 R^T)[o, c] = sum_k W0[o, k] R[c, k]
                    for (int k = 0; k < b; k++) {
                        v += w0[o * 8 + blk * b + k] * r[c][k];
                    }
                    assertEquals(v, merged[o * 8 + blk * b + c], 1e-5);
                }
            }
        }
    }

    /** {@code I + 2Q + 2Q^2 + 2Q^3 + Q^4}, Q from the packed strict upper triangle. */
    private static double[][] neumann5(float[] packed, int blk, int b) {
        double[][] q = new double[b][b];
        int k = blk * b * (b - 1) / 2;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                q[i][j] = packed[k];
                q[j][i] = -packed[k++];
            }
        }
        double[][] r = new double[b][b];
        double[][] p = new double[b][b];
        for (int i = 0; i < b; i++) {
            r[i][i] = 1;
            p[i][i] = 1;
        }
        double[] coef = {2, 2, 2, 1};
        for (double c : coef) {
            double[][] n = new double[b][b];
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < b; t++) {
                    for (int j = 0; j < b; j++) {
                        n[i][j] += p[i][t] * q[t][j];
                    }
                }
            }
            p = n;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    r[i][j] += c * p[i][j];
                }
            }
        }
        return r;
    }

    @Test
    void unsupportedOptionsAndBrokenFilesAreTypedErrors(@TempDir Path dir) throws Exception {
        assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir));
        SafetensorsWriter w = new SafetensorsWriter().addFloats("base_model.model.x.lora_A.weight", new long[] {1, 1}, new float[] {1});
        writeDir(dir, "{\"peft_type\": \"LORA\", \"r\": 1, \"use_rslora\": true, \"target_modules\": [\"q_proj\"]}", w);
        assertTrue(assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir)).getMessage().contains("rsLoRA"));
        writeDir(dir, "{\"peft_type\": \"PROMPT_TUNING\", \"target_modules\": [\"q_proj\"]}", w);
        assertTrue(assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir)).getMessage().contains("PROMPT_TUNING"));
        writeDir(dir, "{\"peft_type\": \"LORA\", \"r\": 1, \"target_modules\": [\"q_proj\"], \"layers_to_transform\": [0]}", w);
        assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir));
        writeDir(dir, "not json", w);
        assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir));
        SafetensorsWriter unprefixed = new SafetensorsWriter().addFloats("model.x.lora_A.weight", new long[] {1, 1}, new float[] {1});
        writeDir(dir, "{\"peft_type\": \"LORA\", \"r\": 1, \"target_modules\": [\"q_proj\"]}", unprefixed);
        assertTrue(assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir)).getMessage().contains("base_model."));
    }

    /**
     * Loads {@code ckpt} into a fresh {@link #model()} (it must adapt exactly one layer, o_proj),
     * merges it, and returns o_proj's weight before and after: {@code {W0, merged}}.
     */
    static float[][] oProjBeforeAndAfterMerge(AdapterCheckpoint ckpt) throws Exception {
        LlamaModel m = model();
        float[] w0 = HostTensors.toFloats(m.weights().get("model.layers.0.self_attn.o_proj.weight"));
        PeftModel pm = PeftModel.attach(m, ckpt.config(), ckpt.targets(), 0);
        assertEquals(1, pm.adapters().layers().size());
        pm.adapters().load(ckpt.tensors());
        pm.merge();
        return new float[][] {w0, HostTensors.toFloats(m.weights().get("model.layers.0.self_attn.o_proj.weight"))};
    }
}
