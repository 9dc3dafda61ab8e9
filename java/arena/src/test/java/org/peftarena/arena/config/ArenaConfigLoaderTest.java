package org.peftarena.arena.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.peftarena.arena.data.TaskKind;

class ArenaConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void quickPresetHasTheProtocolsMainSetup() {
        ArenaConfig c = ArenaConfigLoader.load("quick", null, Map.of());
        assertTrue(c.methods().containsAll(List.of("full", "lora", "dora", "pissa", "oft")), c.methods().toString());
        assertEquals(List.of("de"), c.targets());
        assertEquals(List.of("en", "fr", "es"), c.general());
        assertEquals(List.of("addition"), c.extraTasks(), "at chance for the base model: reported, not in General");
        assertEquals(List.of("de", "en", "fr", "es", "addition"), c.allTasks());
        assertEquals(1, c.budgets().size());
    }

    @Test
    void fullPresetCoversEveryTrainableMethodTwoBudgetsThreeSeedsEveryTarget() {
        ArenaConfig c = ArenaConfigLoader.load("full", null, Map.of());
        assertEquals(2, c.budgets().size());
        assertEquals(3, c.seeds().size());
        assertEquals(List.of("de", "arith", "code", "arithmetic"), c.targets(), "the SFT targets and the RL one");
        for (String m : List.of("full", "lora", "dora", "pissa", "milora", "adalora", "keeplora", "miss", "vera", "ia3", "oft", "boft", "hra")) {
            assertTrue(c.methods().contains(m), m);
        }
    }

    @Test
    void yamlFileOverlaysThePresetAndResolvesDataPathsAgainstItsFolder() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/t.jsonl"), "{\"prompt\":\"a\",\"response\":\"b\"}\n");
        Path f = tmp.resolve("arena.yaml");
        Files.writeString(f, """
                name: mine
                methods: [lora, oft]
                targets: [mytask]
                training:
                  steps: 7
                  per_method:
                    oft: {learning_rate: 1.0e-2}
                tasks:
                  mytask: {kind: problems, path: data/t.jsonl}
                """);
        ArenaConfig c = ArenaConfigLoader.load("quick", f, Map.of());
        assertEquals("mine", c.name());
        assertEquals(List.of("lora", "oft"), c.methods());
        assertEquals(7, c.training().steps());
        assertEquals(8, c.training().batchSize(), "unset fields keep the preset's values");
        assertEquals(1e-2, c.training().learningRateOf("oft"));
        assertEquals(TaskKind.PROBLEMS, c.tasks().get("mytask").kind());
        assertEquals(tmp.resolve("data/t.jsonl").toString(), c.tasks().get("mytask").path());
    }

    @Test
    void commandLineOverridesReplaceLists() {
        ArenaConfig c = ArenaConfigLoader.load("quick", null, Map.of("targets", List.of("arith")));
        assertEquals(List.of("arith"), c.targets());
    }

    @Test
    void jsonFilesAreReadToo() throws Exception {
        Path f = tmp.resolve("a.json");
        Files.writeString(f, "{\"seeds\": [4, 5]}");
        assertEquals(List.of(4L, 5L), ArenaConfigLoader.load("quick", f, Map.of()).seeds());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown field         | {\"methodz\": [\"lora\"]}                                  | methodz",
            "unknown method        | {\"methods\": [\"lora\", \"nope\"]}                        | nope",
            "empty targets         | {\"targets\": []}                                          | targets",
            "target also general   | {\"targets\": [\"en\"]}                                    | both a target and a general",
            "budget without size   | {\"budgets\": [{\"name\": \"b\"}]}                         | exactly one",
            "bad steps             | {\"training\": {\"steps\": 0}}                             | steps=0",
            "per-method unknown    | {\"training\": {\"per_method\": {\"verra\": {\"steps\": 2}}}} | verra",
            "duplicate seed        | {\"seeds\": [1, 1]}                                        | twice",
            "trajectory off grid   | {\"evaluation\": {\"trajectory_every\": 30}}               | multiple of",
            "not an object         | [1, 2]                                                     | top level"})
    void invalidConfigsAreRejectedWithTheReason(String name, String json, String expected) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, json);
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", f, Map.of()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void unknownPresetAndMissingFileAreClearErrors() {
        assertTrue(assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("huge", null, Map.of()))
                .getMessage().contains("quick"));
        assertTrue(assertThrows(ArenaConfigException.class,
                () -> ArenaConfigLoader.load("quick", tmp.resolve("none.yaml"), Map.of())).getMessage().contains("not found"));
    }

    @Test
    void configSurvivesAJsonRoundTripOverItsPreset() throws Exception {
        ArenaConfig c = ArenaConfigLoader.load("full", null, Map.of());
        Path f = tmp.resolve("round.json");
        Files.writeString(f, ArenaConfigLoader.toJson(c));
        assertEquals(c, ArenaConfigLoader.load("full", f, Map.of()));
    }
}
