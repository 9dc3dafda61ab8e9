package org.peftarena.peft;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The linear layers of a tiny random two-block Llama-shaped model (hidden 16, MLP 24, GQA 2:1, q/k/v bias). */
final class TinyLinears {
    static final String CONFIG_JSON = """
            {"model_type": "qwen2", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
             "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 40, "max_position_embeddings": 64,
             "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""";
    static final org.peftarena.formats.config.LlamaConfig CONFIG = parse();
    static final ModelShape SHAPE = ModelShape.of(CONFIG);

    private static org.peftarena.formats.config.LlamaConfig parse() {
        try {
            return org.peftarena.formats.config.LlamaConfig.parse("tiny", CONFIG_JSON);
        } catch (org.peftarena.formats.config.ModelConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private TinyLinears() {}

    static List<BaseLinear> create(long seed) {
        torch.manual_seed(seed);
        List<BaseLinear> out = new ArrayList<>();
        for (int layer = 0; layer < SHAPE.numLayers(); layer++) {
            for (LinearShape m : SHAPE.linears()) {
                Tensor w = torch.randn(m.out(), m.in()).mul(new Scalar(1.0 / Math.sqrt((double) m.in())));
                Tensor b = m.bias() ? torch.randn(m.out()).mul(new Scalar(0.1)) : null;
                out.add(new BaseLinear(ModelShape.modulePath(layer, m), w, b));
            }
        }
        return out;
    }

    /** Random inputs {@code (2, 3, in)} for a layer. */
    static Tensor input(BaseLinear l) {
        return torch.randn(2, 3, l.in());
    }

    /** Adds noise to every trainable tensor so that the adapter is no longer the identity. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    static void perturb(AdapterSet set, double scale) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Tensor p : set.trainableParameters().values()) {
                p.add_(torch.randn(p.sizes().vec().get()).mul(new Scalar(scale)));
            }
        }
    }

    /** Gives KeepLoRA layers their gradient-derived A (random gradient); no-op for other methods. */
    static void initialiseGradientMethods(AdapterSet set) {
        set.layers().values().forEach(l -> {
            if (l instanceof org.peftarena.peft.keeplora.KeepLoraLayer k) {
                k.initFromGradient(torch.randn(l.base().out(), l.base().in()));
            }
        });
    }
}
