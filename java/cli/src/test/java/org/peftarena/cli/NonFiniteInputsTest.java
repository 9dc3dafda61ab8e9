package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;

/** NaN and infinity in adapters, scales and base weights are an error naming the tensor, for every command. */
class NonFiniteInputsTest {
    @TempDir
    static Path tmp;
    static Path base;
    static Path nanBase;
    static Path nanLora;
    static Path goodLora;
    static Path hugeAlphaLora;
    static Path nanOft;

    @BeforeAll
    static void models() throws Exception {
        LlamaModel model = TinyModelFixture.model();
        base = TinyModelFixture.save(model, tmp.resolve("base"));
        nanBase = TinyModelFixture.save(model, tmp.resolve("nan-base"));
        poison(nanBase.resolve("model.safetensors"), "model.layers.1.self_attn.q_proj.weight", Float.NaN);

        goodLora = TinyModelFixture.adapter(model, new LoraConfig(2, 4), tmp.resolve("good-lora"));
        nanLora = TinyModelFixture.adapter(model, new LoraConfig(2, 4), tmp.resolve("nan-lora"));
        poison(nanLora.resolve(AdapterIO.WEIGHTS_FILE), "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight", Float.NaN);
        hugeAlphaLora = TinyModelFixture.adapter(model, new LoraConfig(2, 4), tmp.resolve("huge-alpha-lora"));
        ObjectMapper m = new ObjectMapper();
        Path cfg = hugeAlphaLora.resolve(AdapterIO.CONFIG_FILE);
        ObjectNode json = (ObjectNode) m.readTree(cfg.toFile());
        json.put("lora_alpha", 1e308);
        Files.writeString(cfg, m.writeValueAsString(json));
        nanOft = TinyModelFixture.adapter(model, new OftConfig(4), tmp.resolve("nan-oft"));
        poison(nanOft.resolve(AdapterIO.WEIGHTS_FILE), "base_model.model.model.layers.1.mlp.down_proj.oft_R.weight", Float.NaN);
    }

    /** Rewrites a safetensors file with the first element of one tensor replaced. */
    static void poison(Path file, String tensor, float value) throws Exception {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, String> metadata;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            metadata = f.metadata();
            for (String n : f.names()) {
                values.put(n, f.readFloats(n));
                shapes.put(n, f.info(n).shape());
            }
        }
        assertTrue(values.containsKey(tensor), tensor + " not in " + values.keySet());
        values.get(tensor)[0] = value;
        SafetensorsWriter w = new SafetensorsWriter().metadata(metadata);
        values.forEach((n, v) -> w.addFloats(n, shapes.get(n), v));
        w.write(file);
    }

    private static void assertRefused(CliRunner r, String tensor, Path mustNotExist) {
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(tensor), r.err());
        assertFalse(r.err().contains("frame #"), r.err());
        if (mustNotExist != null) {
            assertFalse(Files.exists(mustNotExist), mustNotExist + " was written");
        }
    }

    @Test
    void mergeRefusesANanLoraB() {
        Path out = tmp.resolve("merged-nan");
        assertRefused(CliRunner.run("merge", "--base", base.toString(), "--adapter", nanLora.toString(), "--out", out.toString()),
                "lora_B", out);
    }

    @Test
    void mergeRefusesAScaleBeyondFloat32() {
        Path out = tmp.resolve("merged-huge");
        assertRefused(CliRunner.run("merge", "--base", base.toString(), "--adapter", hugeAlphaLora.toString(), "--out", out.toString()),
                "lora_alpha", out);
    }

    @Test
    void rewindRefusesANanOftGenerator() {
        Path out = tmp.resolve("rewind-nan");
        assertRefused(CliRunner.run("rewind", "--base", base.toString(), "--adapter", nanOft.toString(),
                "--strategy", "safe-rho", "--out", out.toString()), "oft_R", out);
    }

    @Test
    void interpolateRefusesANanLoraInsteadOfScoringIt() {
        assertRefused(CliRunner.run("interpolate", "--base", base.toString(), "--adapter", nanLora.toString(),
                "--alphas", "0,1", "--target", "arith", "--general", "addition", "--problems", "2"), "lora_B", null);
    }

    @Test
    void nanBaseWeightsAreRefusedWhenLoaded() {
        Path out = tmp.resolve("merged-from-nan-base");
        assertRefused(CliRunner.run("generate", nanBase.toString(), "--prompt", "a", "--max-new-tokens", "2"),
                "model.layers.1.self_attn.q_proj.weight", null);
        assertRefused(CliRunner.run("merge", "--base", nanBase.toString(), "--adapter", goodLora.toString(),
                "--out", out.toString()), "model.layers.1.self_attn.q_proj.weight", out);
    }

    @Test
    void analyzeWeightsOnANanBaseIsOneErrorLineWithoutANativeTrace() throws Exception {
        Path tuned = tmp.resolve("tuned-for-analyze");
        HfModelDirectory.save(HfModelDirectory.load(base, ModelDType.FLOAT32), tuned);
        CliRunner r = CliRunner.run("analyze", "weights", "--base", nanBase.toString(), "--tuned", tuned.toString());
        assertRefused(r, "model.layers.1.self_attn.q_proj.weight", null);
        assertFalse(r.out().contains("SLASCL"), r.out());
    }

    @Test
    void nativeMessagesLoseTheirStackTrace() {
        String raw = "Expected all tensors to be on the same device\nException raised from foo at bar.cpp:12 (most recent call first):\n"
                + "frame #0: c10::Error::Error() + 0x1 (0x7f in libc10.so)";
        assertEquals("LibTorch failed: Expected all tensors to be on the same device",
                FailureHandler.message(new RuntimeException(raw)));
    }
}
