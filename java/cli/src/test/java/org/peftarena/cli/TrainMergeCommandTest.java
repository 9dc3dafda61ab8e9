package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HostTensors;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.formats.tokenizer.ByteTokenizer;

class TrainMergeCommandTest {
    static Path tinyModel(Path dir) throws Exception {
        LlamaConfig c = LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 1,
                 "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 259, "max_position_embeddings": 64,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": true}""");
        HfModelDirectory.save(new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 1, 0.1)), dir);
        new ByteTokenizer().exportTo(dir);
        return dir;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"oft --block-size 4", "boft --block-size 2 --butterfly-factors 2"})
    void trainThenMergeGivesTheAdaptedModel(String method, @TempDir Path tmp) throws Exception {
        Path base = tinyModel(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
        Path adapter = tmp.resolve("adapter");
        List<String> args = new ArrayList<>(List.of("train", "--base", base.toString(), "--method"));
        args.addAll(List.of(method.split(" ", 0)));
        args.addAll(List.of("--data", data.toString(), "--out", adapter.toString(), "--steps", "8", "--batch-size", "2",
                "--checkpoint-every", "4", "--log-every", "4"));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        String peftType = method.split(" ", 0)[0].toUpperCase(java.util.Locale.ROOT);
        assertTrue(Files.readString(adapter.resolve("adapter_config.json")).contains("\"" + peftType + "\""));
        assertTrue(r.out().contains("step 8/8"), r.out());
        assertTrue(Files.isRegularFile(adapter.resolve("adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(adapter.resolve("checkpoints/step-000004/adapter_config.json")));

        Path merged = tmp.resolve("merged");
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", adapter.toString(), "--out", merged.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(merged.resolve("tokenizer.json")));

        // the merged model computes what base + adapter computes
        Tensor ids = HostTensors.longs(new long[] {49, 43, 49, 61, 50}, 1, 5);
        LlamaModel adapted = Float32Models.load(base);
        AdapterCheckpoint ckpt = AdapterIO.load(adapter);
        PeftModel.attach(adapted, ckpt.config(), ckpt.targets(), 0).adapters().load(ckpt.tensors());
        float[] expected = HostTensors.toFloats(adapted.forward(ids, null));
        float[] actual = HostTensors.toFloats(Float32Models.load(merged).forward(ids, null));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4, "logit " + i);
        }
    }

    @Test
    void badInputsGiveExitCodes(@TempDir Path tmp) throws Exception {
        Path base = tinyModel(Files.createDirectories(tmp.resolve("base")));
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", "builtin:nope",
                "--out", tmp.resolve("o").toString());
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("unknown builtin dataset"), r.err());
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", tmp.toString(), "--out", tmp.resolve("m").toString());
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("not an adapter directory"), r.err());
        r = CliRunner.run("train", "--base", base.toString(), "--method", "lora");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
    }
}
