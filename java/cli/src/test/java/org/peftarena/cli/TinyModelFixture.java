package org.peftarena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;
import org.peftarena.formats.config.ModelType;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterIO;

/** What the command tests share: a tiny random byte-level model saved with its tokenizer, adapters on it, a tiny arena. */
final class TinyModelFixture {
    private TinyModelFixture() {
    }

    /** Two layers, hidden size 16, the byte tokenizer's 259 tokens, weights from seed 1. */
    static LlamaModel model() throws ModelConfigException {
        LlamaConfig config = LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 2,
                 "num_attention_heads": 2, "num_key_value_heads": 2, "vocab_size": 259, "max_position_embeddings": 64,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""");
        return new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 1, 0.2));
    }

    /** Saves the model with the byte tokenizer as a model directory. */
    static Path save(LlamaModel model, Path dir) throws IOException {
        HfModelDirectory.save(model, dir);
        new ByteTokenizer().exportTo(dir);
        return dir;
    }

    /**
     * A tiny arena in {@code dir}: a random two-layer byte-level model ({@code model/}), a text target
     * task, a text and a problems general task, and {@code arena.yaml} running LoRA and full finetuning.
     *
     * @return the arena config file
     */
    static Path arena(Path dir) throws IOException {
        LlamaConfig c = new LlamaConfig(ModelType.LLAMA, ByteTokenizer.VOCAB_SIZE, 32, 64, 2, 2, 1, 16, 1e-5, 10000.0,
                null, false, false, false, true, 64, ModelDType.FLOAT32.hfName(), ByteTokenizer.BOS,
                List.of(ByteTokenizer.EOS), ByteTokenizer.PAD, null);
        Path model = dir.resolve("model");
        HfModelDirectory.save(new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 1, 0.02)), model);
        new ByteTokenizer().exportTo(model);
        Files.writeString(dir.resolve("tgt-train.txt"), "der die das und nicht wir haben eine.\n\n".repeat(30));
        Files.writeString(dir.resolve("tgt-test.txt"), "die das und wir haben.\n\n".repeat(4));
        Files.writeString(dir.resolve("gen-test.txt"), "the of and we have this.\n\n".repeat(4));
        Files.writeString(dir.resolve("sum.jsonl"), "{\"prompt\": \"1+2=\", \"response\": \"3\"}\n");
        return Files.writeString(dir.resolve("arena.yaml"), """
                name: tiny
                base_model: model
                methods: [lora, full]
                budgets: [{name: r2, lora_rank: 2}]
                targets: [tgt]
                general: [gen, sum]
                training: {steps: 4, batch_size: 4, seq_len: 32, checkpoint_every: 2}
                evaluation: {max_tokens: 256, problems: 4, batch_size: 4, trajectory_every: 2}
                tasks:
                  tgt: {kind: text, train: tgt-train.txt, test: tgt-test.txt}
                  gen: {kind: text, train: gen-test.txt, test: gen-test.txt}
                  sum: {kind: problems, train: sum.jsonl, test: sum.jsonl}
                """);
    }

    /** An adapter on every linear layer with its parameters moved off the identity (seeded), saved to {@code dir}. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    static Path adapter(LlamaModel model, PeftConfig config, Path dir) throws IOException {
        PeftModel pm = PeftModel.attach(model, config, TargetModules.ALL_LINEAR, 3);
        try (NoGradGuard g = new NoGradGuard()) {
            torch.manual_seed(4);
            for (Tensor p : pm.adapters().trainableParameters().values()) {
                p.add_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.2)));
            }
        }
        AdapterIO.save(pm.adapters(), dir, "tiny");
        pm.detach();
        return dir;
    }
}
