package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.peftarena.formats.io.SafetensorsDtype;
import org.peftarena.formats.io.SafetensorsFile;
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
        assertTrue(r.err().contains("step 8/8"), r.err());
        assertFalse(r.out().contains("step "), "progress goes to stderr: " + r.out());
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
    void mergeKeepsTheBaseDtypeAndEveryConfigKey(@TempDir Path tmp) throws Exception {
        Path f32 = tinyModel(Files.createDirectories(tmp.resolve("f32")));
        Path base = Files.createDirectories(tmp.resolve("bf16"));
        HfModelDirectory.save(HfModelDirectory.convert(HfModelDirectory.load(f32), ModelDType.BFLOAT16), base);
        new ByteTokenizer().exportTo(base);
        String config = Files.readString(base.resolve("config.json")).strip();
        Files.writeString(base.resolve("config.json"), config.substring(0, config.length() - 1)
                + ", \"transformers_version\": \"4.46.0\", \"custom_note\": {\"kept\": true}}");
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n");
        Path adapter = tmp.resolve("adapter");
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--rank", "2",
                "--data", data.toString(), "--out", adapter.toString(), "--steps", "2", "--batch-size", "1");
        assertEquals(0, r.exitCode(), r.err());

        Path merged = tmp.resolve("merged");
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", adapter.toString(), "--out", merged.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(SafetensorsDtype.BF16, storedType(merged));
        String written = Files.readString(merged.resolve("config.json"));
        assertTrue(written.contains("\"custom_note\"") && written.contains("\"transformers_version\" : \"4.46.0\""), written);
        assertTrue(written.contains("\"torch_dtype\" : \"bfloat16\""), written);

        Path asF32 = tmp.resolve("merged-f32");
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", adapter.toString(), "--out", asF32.toString(),
                "--dtype", "float32");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(SafetensorsDtype.F32, storedType(asF32));
        assertTrue(Files.readString(asF32.resolve("config.json")).contains("\"torch_dtype\" : \"float32\""));
        // bf16 rounding of the same merged weights is all that separates the two
        Tensor ids = HostTensors.longs(new long[] {49, 43, 49}, 1, 3);
        float[] wide = HostTensors.toFloats(Float32Models.load(asF32).forward(ids, null));
        float[] narrow = HostTensors.toFloats(Float32Models.load(merged).forward(ids, null));
        for (int i = 0; i < wide.length; i++) {
            assertEquals(wide[i], narrow[i], 0.05, "logit " + i);
        }

        r = CliRunner.run("merge", "--base", f32.toString(), "--adapter", adapter.toString(), "--out",
                tmp.resolve("x").toString(), "--dtype", "fp8");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("auto, float32, bfloat16"), r.err());
    }

    private static SafetensorsDtype storedType(Path dir) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            return f.find("model.embed_tokens.weight").orElseThrow().dtype();
        }
    }

    @Test
    void dryRunShowsTheExactTextOfEachTemplate(@TempDir Path tmp) throws Exception {
        Path base = tinyModel(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"Thank you.\", \"response\": \"Danke.\"}\n");
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", data.toString(),
                "--out", out.toString(), "--dry-run");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("template: default"), r.out());
        assertTrue(r.out().contains("\"### Instruction:\\nThank you.\\n\\n### Response:\\n\""), r.out());
        assertTrue(r.out().contains("\"Danke.\""), r.out());
        assertTrue(Files.notExists(out), "a dry run writes nothing");

        r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", data.toString(),
                "--out", out.toString(), "--dry-run", "--template", "none");
        assertTrue(r.out().contains("prompt (not scored): \"Thank you.\""), r.out());

        Files.writeString(base.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}"
                + "<|{{ m.role }}|>{{ m.content }}\\n{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}\"}");
        r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", data.toString(),
                "--out", out.toString(), "--dry-run");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("template: chat"), r.out());
        assertTrue(r.out().contains("prompt (not scored): \"<|user|>Thank you.\\n<|assistant|>\""), r.out());
        assertTrue(r.out().contains("response (scored):   \"Danke.\\n\""), r.out());

        Files.writeString(base.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% macro m() %}{% endmacro %}\"}");
        r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", data.toString(),
                "--out", out.toString(), "--dry-run", "--template", "chat");
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("cannot render this chat template"), r.err());
    }

    @Test
    void smallModelDefaultLearningRateOnALargeModelIsFlagged(@TempDir Path tmp) throws Exception {
        Path big = Files.createDirectories(tmp.resolve("big"));
        Files.writeString(big.resolve("config.json"), """
                {"model_type": "llama", "hidden_size": 1024, "intermediate_size": 2816, "num_hidden_layers": 24,
                 "num_attention_heads": 16, "num_key_value_heads": 16, "vocab_size": 259, "max_position_embeddings": 64,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": true}""");
        new ByteTokenizer().exportTo(big);
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"a\", \"response\": \"b\"}\n");
        String[] args = {"train", "--base", big.toString(), "--method", "lora", "--data", data.toString(),
            "--out", tmp.resolve("o").toString(), "--dry-run"};
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: the default learning rate of lora") && r.err().contains("hidden size 1024"),
                r.err());
        String[] withLr = java.util.Arrays.copyOf(args, args.length + 2);
        withLr[args.length] = "--lr";
        withLr[args.length + 1] = "2e-4";
        r = CliRunner.run(withLr);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().isEmpty(), r.err());
        Path small = tinyModel(Files.createDirectories(tmp.resolve("small")));
        args[2] = small.toString();
        r = CliRunner.run(args);
        assertTrue(r.err().isEmpty(), r.err());

        // the arena's presets carry small-model learning rates too
        r = CliRunner.run("arena", "--base-model", big.toString(), "--workdir", tmp.resolve("w").toString(), "--plan-only");
        assertTrue(r.err().contains("warning: the learning rates of the quick preset") && r.err().contains("hidden size 1024"),
                r.err());
        r = CliRunner.run("arena", "--base-model", small.toString(), "--workdir", tmp.resolve("w2").toString(), "--plan-only");
        assertTrue(!r.err().contains("warning:"), r.err());
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
