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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.peft.TargetModules;

/** {@code target_modules} in the forms of the train command's --targets (Hugging Face PEFT's). */
class TargetModulesConfigTest {
    @TempDir
    Path tmp;

    private ArenaConfig load(String yamlValue) throws Exception {
        Path f = tmp.resolve("arena.yaml");
        Files.writeString(f, "target_modules: " + yamlValue + "\n");
        return ArenaConfigLoader.load("quick", f, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "all-linear|q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
        "'q_proj,v_proj'|q_proj,v_proj",
        "'q_proj , v_proj'|q_proj,v_proj",
        "[q_proj, v_proj]|q_proj,v_proj",
        "[down_proj]|down_proj",
        "'self_attn.o_proj'|self_attn.o_proj"})
    void formsOfTargetsGiveTheModuleNames(String yaml, String names) throws Exception {
        assertEquals(List.of(names.split(",", -1)), load(yaml).targetModules());
    }

    @Test
    void allLinearIsTheSameConfigAsTheSpelledOutListAndSurvivesJson() throws Exception {
        ArenaConfig allLinear = load("all-linear");
        assertEquals(TargetModules.ALL_LINEAR.names(), allLinear.targetModules());
        assertEquals(ArenaConfigLoader.load("quick", null, Map.of()).targetModules(), allLinear.targetModules());
        ArenaConfig back = ArenaConfigLoader.fromJson(ArenaConfigLoader.toJson(load("'q_proj,v_proj'")), "recorded");
        assertEquals(List.of("q_proj", "v_proj"), back.targetModules());
        TargetModules m = TargetModules.ofNames(load("[q_proj, v_proj]").targetModules());
        assertTrue(m.matches("model.layers.0.self_attn.q_proj"));
        assertFalse(m.matches("model.layers.0.self_attn.k_proj"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'.*\\.(q|v)_proj'|neither all-linear nor module names",
        "[]|give all-linear or a list of module names",
        "'\"  \"'|give all-linear or a list of module names",
        "3|give all-linear or a list of module names",
        "[q_proj, 3]|3 is not a module name"})
    void otherFormsAreClearErrors(String yaml, String message) {
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> load(yaml));
        assertTrue(e.getMessage().contains("arena.yaml: target_modules: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
