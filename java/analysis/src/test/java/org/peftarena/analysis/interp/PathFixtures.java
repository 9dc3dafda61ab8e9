package org.peftarena.analysis.interp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelWeights;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterCheckpoint;

/** A tiny random six-block decoder, random adapters for it, and a deterministic continuous scorer. */
public final class PathFixtures {
    /** Hidden 16, MLP 24, GQA 2:1 with q/k/v bias, six blocks (SafeRho averages five). */
    public static final LlamaConfig CONFIG = parse("""
            {"model_type": "qwen2", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 6,
             "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 40, "max_position_embeddings": 64,
             "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""");

    private PathFixtures() {}

    private static LlamaConfig parse(String json) {
        try {
            return LlamaConfig.parse("tiny", json);
        } catch (ModelConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A float32 random model; the same seed gives the same weights. */
    public static LlamaModel model(long seed) {
        return new LlamaModel(CONFIG, WeightInitializer.initialize(CONFIG, ModelDType.FLOAT32, seed, 0.2));
    }

    /** A deep copy of a model's weights as a new model. */
    public static LlamaModel copy(LlamaModel m) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        m.weights().asMap().forEach((k, v) -> t.put(k, v.detach().clone()));
        return new LlamaModel(m.config(), new ModelWeights(t, ModelDType.FLOAT32));
    }

    /**
     * A trained-looking adapter: the method's init plus seeded noise on every trainable tensor.
     *
     * @param scale standard deviation of the noise
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static AdapterCheckpoint adapter(LlamaModel base, PeftConfig config, long seed, double scale) {
        PeftModel pm = PeftModel.attach(base, config, TargetModules.ALL_LINEAR, seed);
        try (NoGradGuard g = new NoGradGuard()) {
            torch.manual_seed(seed);
            for (Tensor p : pm.adapters().trainableParameters().values()) {
                p.add_(torch.randn(p.sizes().vec().get()).mul(new Scalar(scale)));
            }
            Map<String, Tensor> saved = new LinkedHashMap<>();
            pm.adapters().stateDict().forEach((k, v) -> saved.put(k, v.detach().clone()));
            return new AdapterCheckpoint(config, TargetModules.ALL_LINEAR, saved, "tiny");
        } finally {
            pm.detach();
        }
    }

    /** A fresh copy of {@code base} with the adapter merged in (the reference for alpha = 1). */
    public static LlamaModel merged(LlamaModel base, AdapterCheckpoint adapter) {
        LlamaModel m = copy(base);
        PeftModel pm = PeftModel.attach(m, adapter.config(), adapter.targets(), 0L);
        pm.adapters().load(adapter.tensors());
        pm.merge();
        pm.detach();
        return m;
    }

    private static final Tensor IDS = HostTensors.longs(ids(17), 2, 9);

    private static long[] ids(int mult) {
        long[] v = new long[18];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) ((i * mult + 3) % CONFIG.vocabSize());
        }
        return v;
    }

    /** Logits of fixed tokens: float32 {@code [2, 9, vocab]}. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Tensor logits(LlamaModel model) {
        try (NoGradGuard g = new NoGradGuard()) {
            return model.forward(IDS, null).clone();
        }
    }

    /** Continuous scores: Target = 10 x loss on one token set, General = 10 x loss on another. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static ModelScorer lossScorer() {
        Tensor a = HostTensors.longs(ids(7), 2, 9);
        Tensor b = HostTensors.longs(ids(11), 2, 9);
        return model -> {
            try (NoGradGuard g = new NoGradGuard()) {
                double t = model.loss(a, null, a).item_double() * 10;
                double gen = model.loss(b, null, b).item_double() * 10;
                return new ModelScores(t, gen, Map.of("a", t, "b", gen));
            }
        };
    }

    /** Largest absolute difference of two tensors. */
    public static double maxAbsDiff(Tensor x, Tensor y) {
        return x.sub(y).abs().max().item_double();
    }

    /** Whether every weight of two models is bit-identical. */
    public static boolean sameWeights(LlamaModel a, LlamaModel b) {
        for (String n : a.weights().names()) {
            if (!torch.equal(a.weights().get(n), b.weights().get(n))) {
                return false;
            }
        }
        return true;
    }

    /** The names of the adapted OFT weights of this fixture's model. */
    public static List<String> linearWeightNames(LlamaModel m) {
        return m.linears().modules().values().stream().map(l -> l.weightName()).toList();
    }
}
