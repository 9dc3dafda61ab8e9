package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/** {@code train --method adalora} with its ranks, then {@code merge}. */
class AdaLoraCommandTest {
    private static Path tinyBase(Path tmp) throws Exception {
        return TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
    }

    private static Path oneExample(Path tmp) throws Exception {
        return Files.writeString(tmp.resolve("d.jsonl"), "{\"prompt\": \"3+4=\", \"response\": \"7\"}\n");
    }

    @Test
    void trainWritesAnHfAdaLoraAdapterAndMergeFoldsIt(@TempDir Path tmp) throws Exception {
        Path base = tinyBase(tmp);
        Path data = oneExample(tmp);
        Path adapter = tmp.resolve("adapter");
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "adalora", "--rank", "2", "--init-r", "3",
                "--data", data.toString(), "--out", adapter.toString(), "--steps", "6", "--batch-size", "1", "--lr", "0.05");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(adapter.resolve(AdapterIO.CONFIG_FILE).toFile());
        assertEquals("ADALORA", json.get("peft_type").asText());
        assertEquals(2, json.get("target_r").asInt());
        assertEquals(3, json.get("init_r").asInt());
        assertEquals(6, json.get("total_step").asInt());
        assertEquals(7, json.get("rank_pattern").size(), "one entry per linear layer of the one block");

        Path merged = tmp.resolve("merged");
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", adapter.toString(), "--out", merged.toString());
        assertEquals(0, r.exitCode(), r.err());
        LlamaModel expected = Float32Models.load(base);
        AdapterCheckpoint ckpt = AdapterIO.load(adapter);
        PeftModel pm = PeftModel.attach(expected, ckpt.config(), ckpt.targets(), 0);
        pm.adapters().load(ckpt.tensors());
        pm.merge();
        Map<String, Tensor> actual = Float32Models.load(merged).weights().asMap();
        double changed = 0;
        for (Map.Entry<String, Tensor> e : expected.weights().asMap().entrySet()) {
            float[] want = HostTensors.toFloats(e.getValue());
            float[] got = HostTensors.toFloats(actual.get(e.getKey()));
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-6, e.getKey() + "[" + i + "]");
            }
            changed = Math.max(changed, HostTensors.toFloats(Float32Models.load(base).weights().get(e.getKey()).sub(e.getValue()).abs().max())[0]);
        }
        assertTrue(changed > 0, "the trained adapter changes no weight");

        r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--init-r", "3", "--data", data.toString(),
                "--out", tmp.resolve("x").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("init-r"), r.err());
    }

    @Test
    void scheduleFlagsReachTheAdapterConfig(@TempDir Path tmp) throws Exception {
        Path base = tinyBase(tmp);
        Path data = oneExample(tmp);
        Path adapter = tmp.resolve("adapter");
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "adalora", "--rank", "2", "--init-r", "3",
                "--tinit", "2", "--tfinal", "1", "--delta-t", "2", "--orth-reg-weight", "0.25",
                "--data", data.toString(), "--out", adapter.toString(), "--steps", "6", "--batch-size", "1", "--lr", "0.05");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(adapter.resolve(AdapterIO.CONFIG_FILE).toFile());
        assertEquals(2, json.get("tinit").asInt());
        assertEquals(1, json.get("tfinal").asInt());
        assertEquals(2, json.get("deltaT").asInt());
        assertEquals(0.25, json.get("orth_reg_weight").asDouble(), 0.0);

        // a schedule with no budgeting phase is refused before training, as HF PEFT refuses it
        r = CliRunner.run("train", "--base", base.toString(), "--method", "adalora", "--tinit", "5", "--tfinal", "1",
                "--data", data.toString(), "--out", tmp.resolve("y").toString(), "--steps", "6");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no budgeting phase"), r.err());

        r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--delta-t", "3", "--data", data.toString(),
                "--out", tmp.resolve("x").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("apply to adalora only"), r.err());

        r = CliRunner.run("train", "--base", base.toString(), "--method", "adalora", "--delta-t", "0", "--data", data.toString(),
                "--out", tmp.resolve("z").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("deltaT >= 1"), r.err());
    }
}
