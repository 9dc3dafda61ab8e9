package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.formats.tokenizer.ByteTokenizer;

class AnalyzeWithModelsTest {
    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void driftAndActivationsFromPromptsWithALoraAdapter(@TempDir Path tmp) throws Exception {
        LlamaConfig config = LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 259,
                 "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
                 "tie_word_embeddings": false}""");
        LlamaModel model = new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 5, 0.2));
        Path base = tmp.resolve("base");
        HfModelDirectory.save(model, base);
        new ByteTokenizer().exportTo(base);

        List<BaseLinear> linears = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            String q = "model.layers." + layer + ".self_attn.q_proj";
            linears.add(new BaseLinear(q, model.linears().module(q).weight().clone(), null));
        }
        AdapterSet set = AdapterSet.attach(new LoraConfig(2, 4), TargetModules.ofNames(List.of("q_proj")), linears, 1);
        try (NoGradGuard g = new NoGradGuard()) {
            for (AdapterLayer l : set.layers().values()) {
                for (Tensor t : l.trainable().values()) {
                    t.add_(torch.randn(t.sizes().vec().get()));
                }
            }
        }
        Path adapter = tmp.resolve("adapter");
        AdapterIO.save(set, adapter, "base");
        Path general = Files.writeString(tmp.resolve("g.txt"), "the cat sat on the mat\n\nall is well\n");
        Path target = Files.writeString(tmp.resolve("t.txt"), "12 * 34 = 408\n");

        Path json = tmp.resolve("drift.json");
        CliRunner r = CliRunner.run("analyze", "drift", "--base", base.toString(), "--tuned", adapter.toString(),
                "--general-prompts", general.toString(), "--target-prompts", target.toString(), "--max-tokens", "20",
                "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("model.layers.0.self_attn.q_proj") && r.out().contains("model.layers.1.self_attn.q_proj"),
                r.out());
        assertTrue(!r.out().contains("k_proj"), "only adapted modules are reported: " + r.out());
        assertTrue(Files.readString(json).contains("\"ratio_rel\""));

        Path prompts = Files.writeString(tmp.resolve("p.txt"), "the cat sat on the mat\nall is well\n");
        CliRunner act = CliRunner.run("analyze", "activations", "--base", base.toString(), "--tuned", adapter.toString(),
                "--prompts", prompts.toString(), "--modules", "q_proj|k_proj", "--pca-ranks", "4");
        assertEquals(0, act.exitCode(), act.err());
        // q_proj is adapted, k_proj is not: its outputs in layer 0 are unchanged (layer 1 sees changed inputs)
        String k0 = act.out().lines().filter(l -> l.startsWith("model.layers.0.self_attn.k_proj")).findFirst().orElseThrow();
        String q0 = act.out().lines().filter(l -> l.startsWith("model.layers.0.self_attn.q_proj")).findFirst().orElseThrow();
        assertEquals(0.0, Double.parseDouble(k0.trim().split("\\s+", 0)[2]), 0.0, act.out());
        assertTrue(Double.parseDouble(q0.trim().split("\\s+", 0)[2]) > 0.01, act.out());

        CliRunner both = CliRunner.run("analyze", "drift", "--base", base.toString(), "--tuned", adapter.toString(),
                "--general-prompts", general.toString(), "--target-prompts", target.toString(),
                "--general", "a.safetensors", "--target", "b.safetensors");
        assertEquals(Main.EXIT_USAGE, both.exitCode(), both.err());
    }
}
