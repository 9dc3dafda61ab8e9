package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.dora.DoraMethod;
import org.peftarena.peft.lora.LoraMethod;

/** train over a bfloat16 checkpoint: the base stays bfloat16 for LoRA, is widened on request or for other methods. */
class TrainFrozenBaseCommandTest {
    private static Path bf16Model(Path dir) throws Exception {
        LlamaConfig c = LlamaConfig.parse("tiny", """
                {"model_type": "qwen2", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
                 "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 259, "max_position_embeddings": 64,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": true}""");
        HfModelDirectory.save(new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.BFLOAT16, 1, 0.1)), dir, 4_000);
        new ByteTokenizer().exportTo(dir);
        return dir;
    }

    private static CliRunner train(Path base, Path data, Path out, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--base", base.toString(),
                "--data", data.toString(), "--out", out.toString(), "--steps", "3", "--batch-size", "2", "--log-every", "0",
                "--seed", "4"));
        args.addAll(java.util.List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void loraTrainsOnTheStoredBaseLikeOnItsFloat32Widening(@TempDir Path tmp) throws Exception {
        Path base = bf16Model(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
        assertEquals(ModelDType.BFLOAT16, Float32Models.forTraining(base, LoraMethod.ID, false).dtype(), "stored dtype kept");
        assertEquals(ModelDType.FLOAT32, Float32Models.forTraining(base, LoraMethod.ID, true).dtype(), "widened on request");
        assertEquals(ModelDType.FLOAT32, Float32Models.forTraining(base, DoraMethod.ID, false).dtype(), "widened for DoRA");

        CliRunner stored = train(base, data, tmp.resolve("stored"), "--method", "lora", "--lr", "0.01");
        assertEquals(0, stored.exitCode(), stored.err());
        CliRunner widened = train(base, data, tmp.resolve("widened"), "--method", "lora", "--lr", "0.01", "--base-dtype", "float32");
        assertEquals(0, widened.exitCode(), widened.err());
        var a = org.peftarena.peft.io.AdapterIO.load(tmp.resolve("stored"));
        var b = org.peftarena.peft.io.AdapterIO.load(tmp.resolve("widened"));
        double largest = 0;
        for (var e : b.tensors().entrySet()) {
            Tensor t = a.tensors().get(e.getKey());
            double diff = torch.max(t.sub(e.getValue()).abs()).item_double();
            assertTrue(diff < 1e-4, e.getKey() + " differs by " + diff);
            largest = Math.max(largest, torch.max(e.getValue().abs()).item_double());
        }
        assertTrue(largest > 0, "the adapters were trained");

        CliRunner bad = train(base, data, tmp.resolve("bad"), "--method", "lora", "--base-dtype", "float16");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--base-dtype must be auto or float32"), bad.err());
    }

    @Test
    void bf16AutocastTrainsOverTheStoredBaseAndSaysSo(@TempDir Path tmp) throws Exception {
        Path base = bf16Model(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
        CliRunner plain = train(base, data, tmp.resolve("plain"), "--method", "lora", "--lr", "0.01", "--json");
        assertEquals(0, plain.exitCode(), plain.err());
        CliRunner cast = train(base, data, tmp.resolve("cast"), "--method", "lora", "--lr", "0.01", "--autocast", "bf16",
                "--json");
        assertEquals(0, cast.exitCode(), cast.err());
        var m = new com.fasterxml.jackson.databind.ObjectMapper();
        var p = m.readTree(plain.out());
        var c = m.readTree(cast.out());
        assertEquals("none", p.get("autocast").asText());
        assertEquals("bf16", c.get("autocast").asText());
        double f32 = p.get("first_loss").asDouble();
        double bf16 = c.get("first_loss").asDouble();
        assertTrue(bf16 != f32 && Math.abs(bf16 - f32) < 0.02 * f32, "bf16 products, float32 loss: " + f32 + " vs " + bf16);

        Path tasks = tmp.resolve("tasks.jsonl");
        Files.writeString(tasks, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n");
        CliRunner rl = train(base, tasks, tmp.resolve("rl"), "--method", "lora", "--regime", "rl", "--autocast", "bf16",
                "--prompt-batch", "2", "--group-size", "2", "--mini-batches", "1", "--max-new-tokens", "2", "--json");
        assertEquals(0, rl.exitCode(), rl.err());
        assertEquals("bf16", m.readTree(rl.out()).get("autocast").asText(), "GRPO takes it too");
        CliRunner bad = train(base, data, tmp.resolve("bad"), "--method", "lora", "--autocast", "fp8");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--autocast must be none or bf16"), bad.err());
    }

    /** The switch changes memory, not results: the same losses (SFT) and rewards (RL), and the summary says it was on. */
    @Test
    void gradientCheckpointingTrainsToTheSameLosses(@TempDir Path tmp) throws Exception {
        Path base = bf16Model(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
        var m = new com.fasterxml.jackson.databind.ObjectMapper();
        String[] sft = {"--method", "oft", "--lr", "0.01", "--json"};
        CliRunner plain = train(base, data, tmp.resolve("plain"), sft);
        CliRunner recomputed = train(base, data, tmp.resolve("recomputed"), concat(sft, "--gradient-checkpointing"));
        assertEquals(0, plain.exitCode(), plain.err());
        assertEquals(0, recomputed.exitCode(), recomputed.err());
        var p = m.readTree(plain.out());
        var r = m.readTree(recomputed.out());
        assertEquals(false, p.get("gradient_checkpointing").asBoolean());
        assertEquals(true, r.get("gradient_checkpointing").asBoolean());
        assertEquals(p.get("first_loss").asDouble(), r.get("first_loss").asDouble(), 0.0);
        assertEquals(p.get("final_loss").asDouble(), r.get("final_loss").asDouble(), 0.0, "three updates later");
        assertTrue(p.get("first_loss").asDouble() != p.get("final_loss").asDouble(), "the adapter trained");

        Path tasks = tmp.resolve("tasks.jsonl");
        Files.writeString(tasks, "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n");
        String[] rl = {"--method", "lora", "--regime", "rl", "--prompt-batch", "2", "--group-size", "2", "--mini-batches", "1",
            "--max-new-tokens", "2", "--json"};
        CliRunner rlPlain = train(base, tasks, tmp.resolve("rl-plain"), rl);
        CliRunner rlRecomputed = train(base, tasks, tmp.resolve("rl-recomputed"), concat(rl, "--gradient-checkpointing"));
        assertEquals(0, rlPlain.exitCode(), rlPlain.err());
        assertEquals(0, rlRecomputed.exitCode(), rlRecomputed.err());
        var rp = m.readTree(rlPlain.out());
        var rr = m.readTree(rlRecomputed.out());
        assertEquals(true, rr.get("gradient_checkpointing").asBoolean());
        assertEquals(rp.get("final_mean_reward").asDouble(), rr.get("final_mean_reward").asDouble(), 0.0);
        for (String run : new String[] {"", "rl-"}) {
            byte[] a = Files.readAllBytes(tmp.resolve(run + "plain").resolve("adapter_model.safetensors"));
            byte[] b = Files.readAllBytes(tmp.resolve(run + "recomputed").resolve("adapter_model.safetensors"));
            assertTrue(java.util.Arrays.equals(a, b), run + "trained adapters are equal byte for byte");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
