package org.peftarena.analysis.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.tokenizer.ByteTokenizer;

class PromptActivationsTest {
    static LlamaModel tinyModel() throws Exception {
        LlamaConfig config = LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 259,
                 "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
                 "tie_word_embeddings": false}""");
        return new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 3, 0.2));
    }

    @Test
    void collectsRealTokensUpToTheCapAndOutputsAreInputsTimesWeight() throws Exception {
        LlamaModel model = tinyModel();
        ByteTokenizer tok = new ByteTokenizer();
        List<String> prompts = List.of("hello", "", "a longer prompt that gets truncated");
        String q = "model.layers.1.self_attn.q_proj";
        Map<String, Tensor> in = PromptActivations.collect(model, tok, prompts, 8, q::equals,
                ActivationCollector.Side.INPUT, 100);
        Map<String, Tensor> out = PromptActivations.collect(model, tok, prompts, 8, q::equals,
                ActivationCollector.Side.OUTPUT, 100);
        int expected = Math.min(tok.encode("hello").length, 8) + Math.min(tok.encode(prompts.get(2)).length, 8)
                + Math.min(tok.encode("").length, 8);
        assertEquals(List.of(q), List.copyOf(in.keySet()));
        assertEquals(expected, in.get(q).size(0));
        assertEquals(16, in.get(q).size(1));
        // the layer is linear: outputs = inputs W^T (+ bias, none here)
        Tensor w = model.linears().module(q).weight();
        Close.normwise(TensorMatrices.toDoubles(in.get(q).mm(w.t())), TensorMatrices.toDoubles(out.get(q)), 1e-5, 0,
                "outputs");
        Map<String, Tensor> capped = PromptActivations.collect(model, tok, prompts, 8, m -> m.endsWith("proj"),
                ActivationCollector.Side.INPUT, 3);
        assertEquals(14, capped.size(), "7 projections in 2 blocks");
        capped.values().forEach(t -> assertEquals(3, t.size(0)));
        assertThrows(DiagnosticInputException.class, () -> PromptActivations.collect(model, tok, prompts, 8,
                m -> false, ActivationCollector.Side.INPUT, 3));
    }
}
