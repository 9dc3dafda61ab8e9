package org.peftarena.arena.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.analysis.run.DiagnosticsOptions;
import org.peftarena.analysis.weights.WeightAnalysis;

class DiagnosticsSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void presetsCarryACheapDiagnosticsBlockAndAMissingBlockMeansTheDefaults() {
        DiagnosticsSettings quick = ArenaConfigLoader.load("quick", null, Map.of()).diagnostics();
        assertTrue(quick.enabled());
        assertEquals(DiagnosticsOptions.DEFAULT_MODULES, quick.modules());
        assertTrue(quick.maxTokens() <= 1024, "quick keeps the token cap small: " + quick.maxTokens());
        DiagnosticsOptions o = quick.options("lora", List.of("g"), List.of("t"), tmp);
        assertEquals(List.of(1, 2), o.layers(4), "1/3 and 2/3 depth of the 4-layer embedded model");
        assertTrue(o.weightMetrics() && o.driftMetrics() && o.activationMetrics());
        assertEquals(tmp, o.spectrumCacheDir());
        DiagnosticsSettings d = DiagnosticsSettings.defaults();
        assertEquals(DiagnosticsOptions.DEFAULT_LAYER_FRACTIONS, d.layers());
        assertEquals(DiagnosticsSettings.DEFAULT_MAX_TOKENS, d.maxTokens());
        assertEquals(1, d.blasThreads(), "one OpenBLAS thread: more oversubscribe the many small SVDs");
        assertEquals(WeightAnalysis.AlignmentMode.ALWAYS, d.alignmentMode("oft"), "SVA for orthogonal methods");
        assertEquals(WeightAnalysis.AlignmentMode.STRUCTURED, d.alignmentMode("lora"));
    }

    @Test
    void userBlockMergesIntoThePresetAndExpandsShortModuleNames() throws Exception {
        Path f = tmp.resolve("a.yaml");
        Files.writeString(f, """
                diagnostics:
                  modules: [q_proj, mlp.up_proj]
                  max_tokens: 100
                  metrics: [weight]
                  alignment: ALWAYS
                  precision: float32
                """);
        DiagnosticsSettings d = ArenaConfigLoader.load("quick", f, Map.of()).diagnostics();
        assertEquals(List.of("self_attn.q_proj", "mlp.up_proj"), d.modules());
        assertEquals(100, d.maxTokens());
        assertEquals(32, d.prompts(), "from the preset");
        DiagnosticsOptions o = d.options("lora", List.of(), List.of(), null);
        assertTrue(o.weightMetrics());
        assertFalse(o.driftMetrics() || o.activationMetrics());
        assertEquals("always", d.alignment());
        assertEquals(WeightAnalysis.AlignmentMode.ALWAYS, o.alignmentMode());
        assertEquals(org.bytedeco.pytorch.global.torch.ScalarType.Float, o.activationOptions().computeType());
        assertEquals(org.bytedeco.pytorch.global.torch.ScalarType.Double, DiagnosticsSettings.defaults()
                .options("lora", List.of("g"), List.of("t"), null).activationOptions().computeType());
    }

    @Test
    void theSettingsHashChangesWithTheSettingsAndSurvivesJson() {
        DiagnosticsSettings d = DiagnosticsSettings.defaults();
        assertEquals(d.configHash(), DiagnosticsSettings.defaults().configHash());
        assertNotEquals(d.configHash(), d.withModules(List.of("q_proj")).configHash());
        Path f = tmp.resolve("roundtrip.json");
        ArenaConfig c = ArenaConfigLoader.load("quick", null, Map.of());
        assertEquals(c.diagnostics(), ArenaConfigLoader.load("full", write(f, ArenaConfigLoader.toJson(c)), Map.of())
                .diagnostics());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "layers: [1.5];depth fractions in [0, 1]",
        "metrics: [weight, spectra];unknown group 'spectra'",
        "alignment: sometimes;alignment must be one of",
        "max_tokens: 1;max_tokens and gram_rows >= 2",
        "modules: [];must be non-empty",
        "precision: float16;precision must be one of",
        "blas_threads: 0;blas_threads must be >= 1",
        "token_cap: 5;token_cap"})
    void badBlocksAreClearErrors(String line, String message) throws Exception {
        Path f = write(tmp.resolve("bad.yaml"), "diagnostics:\n  " + line + "\n");
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", f, Map.of()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static Path write(Path f, String text) {
        try {
            Files.writeString(f, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }
}
