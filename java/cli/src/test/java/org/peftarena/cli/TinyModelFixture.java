package org.peftarena.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterIO;

/** The tiny random byte-level model the command tests share, saved with its tokenizer, and adapters on it. */
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
