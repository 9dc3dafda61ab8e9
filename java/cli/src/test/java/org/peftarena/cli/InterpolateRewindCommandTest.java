package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.train.sft.SftCheckpoints;

/** The interpolate and rewind commands on a tiny random byte-level model saved with its tokenizer. */
class InterpolateRewindCommandTest {
    @TempDir
    static Path tmp;
    static Path base;
    static Path oft;
    static Path lora;
    static Path trainRun;

    @BeforeAll
    static void models() throws Exception {
        LlamaModel model = TinyModelFixture.model();
        base = TinyModelFixture.save(model, tmp.resolve("base"));
        oft = TinyModelFixture.adapter(model, new OftConfig(4), tmp.resolve("oft-b4"));
        lora = TinyModelFixture.adapter(model, new LoraConfig(2, 4), tmp.resolve("lora-r2"));
        trainRun = tmp.resolve("train-run");
        for (int step : new int[] {5, 10}) {
            PeftModel pm = PeftModel.attach(model, new LoraConfig(2, 4), TargetModules.ALL_LINEAR, step);
            SftCheckpoints.save(pm, trainRun, new SftCheckpoints.State(step, List.of(1.0)), "tiny");
            pm.detach();
        }
    }

    @Test
    void interpolateScoresEveryAlphaAndReportsTheOperatingPoint() throws Exception {
        Path json = tmp.resolve("interp.json");
        CliRunner r = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", oft.toString(),
                "--alphas", "0,0.5,1", "--target", "arith", "--general", "addition", "--problems", "3", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("cayley path"), r.out());
        assertTrue(r.out().contains("operating point (best-general-within-tolerance, selected on validation, tolerance"),
                r.out());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals("oft-b4", report.get("run").asText());
        assertEquals(3, report.get("points").size());
        assertEquals(0.5, report.get("points").get(1).get("alpha").asDouble());
        assertTrue(report.get("points").get(2).get("tasks").has("arith"));
        assertTrue(report.has("operating_point"));
        assertEquals("validation", report.get("operating_point").get("selected_on").asText());
        assertTrue(report.get("points").get(1).get("validation_target").isNumber(), "every point scored on validation");
        assertTrue(report.get("points").get(1).get("target_se").isNumber(), "with standard errors");
        assertTrue(report.get("points").get(1).get("update_scale").asDouble() > 0.5,
                "cayley path at alpha 0.5: the update scale is about sqrt(0.5)");
    }

    @Test
    void interpolateAlsoScoresTheTrainingCheckpoints() throws Exception {
        Path json = tmp.resolve("trajectory.json");
        CliRunner r = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", lora.toString(), "--alphas", "0,1",
                "--target", "arith", "--general", "addition", "--problems", "2", "--trajectory", trainRun.toString(),
                "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("training path:"), r.out());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, report.get("training_path").size());
        assertEquals(10, report.get("training_path").get(1).get("step").asInt());
        CliRunner noEval = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", lora.toString(),
                "--export", tmp.resolve("x").toString(), "--trajectory", trainRun.toString());
        assertEquals(Main.EXIT_USAGE, noEval.exitCode(), noEval.err());
        CliRunner dtypeAlone = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", lora.toString(),
                "--alphas", "0,1", "--target", "arith", "--problems", "2", "--dtype", "bfloat16");
        assertEquals(Main.EXIT_USAGE, dtypeAlone.exitCode(), dtypeAlone.err());
        assertTrue(dtypeAlone.err().contains("--dtype applies to the models --export writes"), dtypeAlone.err());
    }

    @Test
    void interpolateExportsOneCheckpointPerAlpha() throws Exception {
        Path out = tmp.resolve("export");
        CliRunner r = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", lora.toString(),
                "--alphas", "0:1:0.5", "--path", "dense", "--export", out.toString(), "--run", "lora-r2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("exported 3 checkpoints"), r.out());
        for (String a : new String[] {"0", "0.5", "1"}) {
            Path dir = out.resolve("alpha-" + a);
            assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")) && Files.isRegularFile(dir.resolve("tokenizer.json")), a);
        }
        assertTrue(Files.readString(out.resolve("scores-template.csv")).startsWith("run,alpha,target,general\nlora-r2,0,,"));
    }

    @Test
    void exportsKeepEveryConfigKeyAndTheBaseDtype() throws Exception {
        Path bf16 = Files.createDirectories(tmp.resolve("base-bf16"));
        HfModelDirectory.save(HfModelDirectory.convert(HfModelDirectory.load(base), ModelDType.BFLOAT16), bf16);
        new ByteTokenizer().exportTo(bf16);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(bf16.resolve("config.json").toFile());
        config.put("dtype", "bfloat16");
        config.put("transformers_version", "4.46.0");
        config.putObject("custom_note").put("kept", true);
        Files.writeString(bf16.resolve("config.json"), config.toString());

        Path rewound = tmp.resolve("rewound-bf16");
        CliRunner r = CliRunner.run("rewind", "--base", bf16.toString(), "--adapter", oft.toString(),
                "--strategy", "uniform", "--out", rewound.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path exported = tmp.resolve("export-bf16");
        r = CliRunner.run("interpolate", "--base", bf16.toString(), "--adapter", lora.toString(),
                "--alphas", "0,1", "--path", "linear", "--export", exported.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (Path dir : List.of(rewound.resolve("model"), exported.resolve("alpha-0"), exported.resolve("alpha-1"))) {
            JsonNode written = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
            assertEquals("bfloat16", written.path("torch_dtype").asText(), dir + ": " + written);
            assertEquals("bfloat16", written.path("dtype").asText(), dir + ": " + written);
            assertEquals("4.46.0", written.path("transformers_version").asText(), dir + ": " + written);
            assertTrue(written.path("custom_note").path("kept").asBoolean(), dir + ": " + written);
            assertEquals(ModelDType.BFLOAT16, HfModelDirectory.storedDtype(dir), dir.toString());
        }

        Path asF32 = tmp.resolve("rewound-f32");
        r = CliRunner.run("rewind", "--base", bf16.toString(), "--adapter", oft.toString(),
                "--strategy", "uniform", "--out", asF32.toString(), "--dtype", "float32");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode written = new ObjectMapper().readTree(asF32.resolve("model/config.json").toFile());
        assertEquals("float32", written.path("torch_dtype").asText(), written.toString());
        assertEquals("float32", written.path("dtype").asText(), written.toString());
        assertTrue(written.path("custom_note").path("kept").asBoolean(), written.toString());
        assertEquals(ModelDType.FLOAT32, HfModelDirectory.storedDtype(asF32.resolve("model")));
    }

    @Test
    void rewindWritesAdapterModelAndFactors() throws Exception {
        Path out = tmp.resolve("rewound");
        CliRunner r = CliRunner.run("rewind", "--base", base.toString(), "--adapter", oft.toString(),
                "--strategy", "min-rho", "--sqrt", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("min-rho sqrt rewinding of oft"), r.out());
        assertTrue(r.out().contains("rho*"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("adapter").resolve("adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("model").resolve("model.safetensors")));
        JsonNode plan = new ObjectMapper().readTree(out.resolve("rewind.json").toFile());
        assertEquals(2, plan.get("layers").size());
        assertTrue(plan.get("layers").get(0).get("factor").asDouble() <= 1.0);
    }

    @Test
    void badOptionsAreUsageErrorsAndUnsupportedCombinationsFailClearly() {
        CliRunner grid = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", oft.toString(), "--alphas", "1:0:0.1");
        assertEquals(Main.EXIT_USAGE, grid.exitCode(), grid.err());
        assertTrue(grid.err().contains("stop is below start"), grid.err());
        CliRunner both = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", oft.toString(), "--tuned", base.toString());
        assertEquals(Main.EXIT_USAGE, both.exitCode(), both.err());
        CliRunner cayley = CliRunner.run("interpolate", "--base", base.toString(), "--adapter", lora.toString(),
                "--path", "cayley", "--export", tmp.resolve("never").toString());
        assertEquals(Main.EXIT_FAILURE, cayley.exitCode());
        assertTrue(cayley.err().contains("needs an OFT adapter"), cayley.err());
        CliRunner layerWise = CliRunner.run("rewind", "--base", base.toString(), "--adapter", lora.toString(),
                "--strategy", "safe-rho", "--out", tmp.resolve("never2").toString());
        assertEquals(Main.EXIT_FAILURE, layerWise.exitCode());
        assertTrue(layerWise.err().contains("needs an OFT adapter"), layerWise.err());
    }
}
