package org.peftarena.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.capture.ActivationCollector;
import org.peftarena.analysis.capture.PromptActivations;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelWeights;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.tokenizer.ByteTokenizer;

/** One run's diagnostics on a tiny random model whose finetuned version changes one module. */
class RunDiagnosticsTest {
    private static final String CHANGED = "model.layers.1.self_attn.q_proj";
    private static final List<String> GENERAL = List.of("the quick brown fox", "jumps over the lazy dog");
    private static final List<String> TARGET = List.of("2+2=4", "3*3=9", "10-1=9");

    private static LlamaConfig config() throws Exception {
        return LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 3,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 259,
                 "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
                 "tie_word_embeddings": false}""");
    }

    private static ModelWeights weights() throws Exception {
        return WeightInitializer.initialize(config(), ModelDType.FLOAT32, 5, 0.2);
    }

    @Test
    void computesWeightDriftAndActivationMetricsAndSerialisesToJson(@TempDir Path tmp) throws Exception {
        Path baseDir = Files.createDirectories(tmp.resolve("base"));
        HfModelDirectory.save(new LlamaModel(config(), weights()), baseDir);
        new ByteTokenizer().exportTo(baseDir);
        ModelWeights tunedWeights = weights();
        Tensor w0 = tunedWeights.get(CHANGED + ".weight");
        Tensor dw = torch.randn(w0.size(0), w0.size(1)).mul(TensorMatrices.scalar(0.05));
        tunedWeights.replace(CHANGED + ".weight", w0.add(dw));
        Path tunedDir = Files.createDirectories(tmp.resolve("tuned"));
        HfModelDirectory.save(new LlamaModel(config(), tunedWeights), tunedDir);

        DiagnosticsOptions options = DiagnosticsOptions.defaults(GENERAL, TARGET).withSpectrumCache(tmp.resolve("svd"));
        RunDiagnosticsResult r = RunDiagnostics.compute(baseDir, tunedDir, options);

        assertEquals(3, r.layerCount());
        assertEquals(List.of(1, 2), r.layers(), "floor(L/3) and floor(2L/3)");
        assertEquals(8, r.modules().size());
        ModuleDiagnostics changed = r.modules().stream().filter(m -> m.module().equals(CHANGED)).findFirst().orElseThrow();
        ModuleDiagnostics sibling = r.modules().stream()
                .filter(m -> m.module().equals("model.layers.1.self_attn.k_proj")).findFirst().orElseThrow();
        ModuleDiagnostics downstream = r.modules().stream()
                .filter(m -> m.module().equals("model.layers.2.self_attn.q_proj")).findFirst().orElseThrow();

        // a full-rank random dW: stable rank well above 1; untouched modules: dW = 0
        assertTrue((double) changed.weight().get("effective_rank") > 2, changed.weight().toString());
        assertEquals(0.0, (double) sibling.weight().get("effective_rank"), 0);
        assertEquals(0.0, (double) sibling.drift().get("CSD_abs_G"), 0);

        // CSD_abs on G recomputed from the base model's module inputs
        Tensor h = PromptActivations.collect(HfModelDirectory.load(baseDir), new ByteTokenizer(), GENERAL,
                DiagnosticsOptions.DEFAULT_MAX_LENGTH, CHANGED::equals, ActivationCollector.Side.INPUT, 4096).get(CHANGED);
        double expected = h.mm(dw.t()).pow(TensorMatrices.scalar(2)).sum().item_double() / h.size(0);
        assertEquals(expected, (double) changed.drift().get("CSD_abs_G"), 1e-4 * expected);
        assertEquals(h.size(0), ((Number) changed.drift().get("tokens_G")).longValue());

        // q and k of layer 1 see the same (unchanged) inputs, so only q's outputs move; layer 2 sees the change
        assertTrue((double) changed.activationsGeneral().get("raw_distance") > 1e-3);
        assertEquals(0.0, (double) sibling.activationsGeneral().get("raw_distance"), 1e-7);
        assertTrue((double) downstream.activationsTarget().get("raw_distance") > 0);

        Map<String, Double> flat = r.numericMetrics();
        assertTrue(flat.containsKey(CHANGED + "/act_T/procrustes_residual"));
        assertTrue(ModuleDiagnostics.isTargetSide(CHANGED + "/drift/CSD_rel_T"));
        assertTrue(!ModuleDiagnostics.isTargetSide(CHANGED + "/drift/ratio_rel"));

        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(mapper.writeValueAsString(r));
        assertEquals(8, json.get("modules").size());
        assertEquals(CHANGED, json.get("modules").get(0).get("module").asText());
        assertEquals((double) changed.weight().get("effective_rank"),
                json.get("modules").get(0).get("weight").get("effective_rank").asDouble(), 0);
        try (java.util.stream.Stream<java.nio.file.Path> spectra = Files.list(tmp.resolve("svd"))) {
            assertTrue(spectra.count() >= 8, "base spectra cached");
        }

        // the cached spectra give the same numbers on a second run
        RunDiagnosticsResult again = RunDiagnostics.compute(baseDir, tunedDir, options);
        assertEquals((double) changed.weight().get("effective_rank"),
                (double) again.modules().get(0).weight().get("effective_rank"), 1e-9);
    }

    @Test
    void rejectsMissingModulesAndEmptyPromptSets(@TempDir Path tmp) throws Exception {
        Path baseDir = Files.createDirectories(tmp.resolve("base"));
        HfModelDirectory.save(new LlamaModel(config(), weights()), baseDir);
        new ByteTokenizer().exportTo(baseDir);
        DiagnosticsOptions d = DiagnosticsOptions.defaults(GENERAL, TARGET);
        DiagnosticsOptions wrong = new DiagnosticsOptions(d.layerFractions(), List.of("mlp.no_such_proj"), GENERAL,
                TARGET, 16, 64, true, false, false, d.alignmentMode(), d.alignment(), d.activationOptions(), null, d.eps());
        assertThrows(DiagnosticInputException.class, () -> RunDiagnostics.compute(baseDir, baseDir, wrong));
        assertThrows(IllegalArgumentException.class, () -> DiagnosticsOptions.defaults(List.of(), TARGET));
        assertEquals(List.of(0, 9, 18), new DiagnosticsOptions(List.of(0.0, 1.0 / 3, 2.0 / 3, 0.0), d.moduleSuffixes(),
                GENERAL, TARGET, 16, 64, true, true, true, d.alignmentMode(), d.alignment(), d.activationOptions(), null,
                d.eps()).layers(28));
    }
}
