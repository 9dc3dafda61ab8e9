package org.peftarena.arena.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.OperatingPointRule;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.rewind.RewindOptions;

class InterpolationSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void absentBlockMeansTheProtocolsDefaults() {
        InterpolationSettings s = InterpolationSettings.DEFAULT;
        assertTrue(s.enabled());
        assertEquals(AlphaGrid.DEFAULT, s.grid());
        assertEquals(PathKind.AUTO, s.pathKind());
        assertEquals(OperatingPointRule.DEFAULT, s.overshootOptions().rule());
        assertEquals(0.5, s.overshootOptions().targetTolerance());
        assertEquals(RewindOptions.ARENA_TABLE, s.postHocOptions().rewinding());
        assertTrue(s.postHocOptions().denseBaseline());
        assertEquals(1.0, s.overshootOptions().toleranceSe(), "the tolerance is 1 SE as well as 0.5 points");
        assertEquals(5.0 / 28, s.referenceFraction(), 1e-12);
    }

    @Test
    void everyPresetsGridReachesBelowHalf() {
        for (String preset : List.of("quick", "full", "study")) {
            AlphaGrid g = ArenaConfigLoader.load(preset, null, Map.of()).interpolation().grid();
            assertTrue(g.values().stream().anyMatch(a -> a > 0 && a < 0.5), preset + ": " + g.values());
        }
    }

    @Test
    void toleranceInStandardErrorsAndSafeRhoFractionAreSettings() throws Exception {
        Path f = write("""
                interpolation:
                  tolerance_se: 2
                  target_tolerance: 0
                  reference_fraction: 0.25
                """);
        ArenaConfig c = ArenaConfigLoader.load("quick", f, Map.of());
        assertEquals(2.0, c.interpolation().overshootOptions().toleranceSe());
        assertEquals(0.0, c.interpolation().overshootOptions().targetTolerance());
        assertEquals(0.25, c.interpolation().postHocOptions().rewinding().get(1).referenceFraction());
        for (String bad : List.of("tolerance_se: -1", "reference_fraction: 0", "reference_fraction: 1.5")) {
            Path b = write("interpolation:\n  " + bad + "\n");
            ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", b,
                    Map.of()), bad);
            assertTrue(e.getMessage().contains("interpolation"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void fullPresetUsesTheDefaultGridAndQuickStatesItsOwn() {
        ArenaConfig full = ArenaConfigLoader.load("full", null, Map.of());
        assertEquals(AlphaGrid.DEFAULT, full.interpolation().grid());
        assertTrue(full.interpolation().enabled());
        ArenaConfig quick = ArenaConfigLoader.load("quick", null, Map.of());
        assertTrue(quick.interpolation().enabled());
        assertTrue(quick.interpolation().grid().indexOf(0.0) >= 0 && quick.interpolation().grid().indexOf(1.0) >= 0);
    }

    @Test
    void yamlBlockOverlaysThePresetFieldByField() throws Exception {
        Path f = tmp.resolve("a.yaml");
        Files.writeString(f, """
                interpolation:
                  alphas: "0,0.3,1,1.2"
                  rewinding: false
                  rule: best-sum
                """);
        ArenaConfig c = ArenaConfigLoader.load("full", f, Map.of());
        assertEquals(List.of(0.0, 0.3, 1.0, 1.2), c.interpolation().grid().values());
        assertFalse(c.interpolation().rewinding());
        assertTrue(c.interpolation().postHocOptions().rewinding().isEmpty());
        assertEquals(OperatingPointRule.BEST_SUM, c.interpolation().overshootOptions().rule());
        assertTrue(c.interpolation().denseBaseline(), "fields the file leaves out keep the preset's value");
        ArenaConfig back = ArenaConfigLoader.load("quick", write(ArenaConfigLoader.toJson(c)), Map.of());
        assertEquals(c.interpolation(), back.interpolation(), "the recorded arena.json reads back the same");
    }

    @Test
    void badBlocksAreRejectedWithTheFieldNamed() throws Exception {
        for (String bad : List.of("alphas: \"0.5,1\"", "alphas: \"0,0.5\"", "alphas: \"0:1:x\"", "path: cayley",
                "path: spiral", "rule: best-guess", "target_tolerance: -1")) {
            Path f = write("interpolation:\n  " + bad + "\n");
            ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", f, Map.of()),
                    bad);
            assertTrue(e.getMessage().contains("interpolation"), bad + ": " + e.getMessage());
        }
    }

    private Path write(String text) throws Exception {
        Path f = Files.createTempFile(tmp, "c", text.startsWith("{") ? ".json" : ".yaml");
        Files.writeString(f, text);
        return f;
    }
}
