package org.peftarena.arena.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigException;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.config.Regime;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;

class ArenaPlannerTest {
    /** The embedded model's architecture: width 192, 4 blocks, 6 heads / 2 key-value heads, SwiGLU 512. */
    private static final String EMBEDDED_CONFIG = """
            {"model_type": "llama", "vocab_size": 259, "hidden_size": 192, "intermediate_size": 512,
             "num_hidden_layers": 4, "num_attention_heads": 6, "num_key_value_heads": 2,
             "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "tie_word_embeddings": true,
             "bos_token_id": 256, "eos_token_id": 257, "pad_token_id": 258}
            """;

    @TempDir
    Path tmp;

    private ArenaConfig preset(String name) throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), EMBEDDED_CONFIG);
        return ArenaConfigLoader.load(name, null, Map.of("base_model", model.toString()));
    }

    @Test
    void aCudaArenaPlansTheSameGridUnderOtherIdsAndACpuArenaKeepsItsIds() throws Exception {
        ArenaConfig cpu = preset("quick");
        TaskCatalog catalog = new TaskCatalog(Map.of(), 10, 1);
        List<RunSpec> plain = ArenaPlanner.plan(cpu, catalog).runs();
        List<RunSpec> explicitCpu = ArenaPlanner.plan(cpu.withDevice("cpu"), catalog).runs();
        List<RunSpec> cuda = ArenaPlanner.plan(cpu.withDevice(RunSpec.CUDA), catalog).runs();
        assertEquals(plain.stream().map(RunSpec::id).toList(), explicitCpu.stream().map(RunSpec::id).toList(),
                "cpu is the default: the same ids");
        assertEquals(plain.size(), cuda.size());
        for (int i = 0; i < plain.size(); i++) {
            RunSpec c = cuda.get(i);
            assertTrue(c.onCuda() && !plain.get(i).onCuda(), c.id());
            assertTrue(!c.id().equals(plain.get(i).id()), "a GPU run is never taken for its CPU twin: " + c.id());
            if (c.kind() == RunKind.BASE) {
                assertEquals(plain.get(i).withDevice(RunSpec.CUDA).id(), c.id(), "the device is all that differs");
            }
            assertTrue(!org.peftarena.arena.spec.RunSpecJson.MAPPER.writeValueAsString(plain.get(i)).contains("device"),
                    "a CPU spec's JSON has no device key (old work directories keep their runs)");
        }
        // base runs are per device too; fine-tuning runs point at their own device's base run
        for (RunSpec c : cuda) {
            if (c.kind() == RunKind.FINETUNE) {
                assertTrue(cuda.stream().anyMatch(b -> b.id().equals(c.baseRunId()) && b.onCuda()), c.id());
            }
        }
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> cpu.withDevice("cuda:1"));
        assertTrue(e.getMessage().contains("device must be cpu or cuda, got 'cuda:1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plain.get(0).withDevice("gpu"));
    }

    @Test
    void theConfigFileNamesTheDevice() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), EMBEDDED_CONFIG);
        Path file = tmp.resolve("arena.yaml");
        Files.writeString(file, "device: cuda\n");
        ArenaConfig c = ArenaConfigLoader.load("quick", file, Map.of("base_model", model.toString()));
        assertEquals(RunSpec.CUDA, c.device());
        assertTrue(ArenaPlanner.plan(c, new TaskCatalog(Map.of(), 10, 1)).runs().stream().allMatch(RunSpec::onCuda));
        assertTrue(ArenaConfigLoader.toJson(c).contains("\"device\" : \"cuda\""), ArenaConfigLoader.toJson(c));
        assertTrue(!ArenaConfigLoader.toJson(preset("quick")).contains("device"), "a CPU config's JSON as before");
    }

    @Test
    void fullPresetMatchesEveryMethodToBothBudgets() throws Exception {
        ArenaConfig c = preset("full");
        ArenaPlan plan = ArenaPlanner.plan(c, new TaskCatalog(Map.of(), 10, 1));
        List<RunSpec> finetune = plan.runs().stream().filter(s -> s.kind() == RunKind.FINETUNE).toList();
        int knobless = 2; // full finetuning and IA3 run once, in the fixed band
        int perTargetSeed = (c.methods().size() - knobless) * c.budgets().size() + knobless;
        assertEquals(perTargetSeed * c.targets().size() * c.seeds().size(), finetune.size());
        assertEquals(4, plan.size() - finetune.size(), "one base run per target");
        // both regimes in one grid: the RL target's runs carry the GRPO recipe and RL ids, the others none
        assertEquals(Regime.BOTH, c.regime());
        for (RunSpec s : plan.runs()) {
            boolean rl = s.target().equals("arithmetic");
            assertEquals(rl, s.rl() != null, s.id());
            assertEquals(rl ? RunSpec.RL : RunSpec.SFT, s.regime(), s.id());
            if (rl) {
                assertEquals(1, s.rl().maxNewTokens(), "the leading digit of the sum");
                assertEquals(16, s.rl().promptBatch());
            }
        }
        assertEquals(finetune.size() / c.targets().size(), finetune.stream().filter(s -> s.rl() != null).count());
        for (String budget : List.of("r2", "r8")) {
            long lora = finetune.stream().filter(s -> s.method().equals("lora") && s.budget().equals(budget))
                    .findFirst().orElseThrow().trainableParams();
            for (RunSpec s : finetune) {
                if (s.budget().equals(budget)) {
                    assertEquals(lora, s.budgetParams());
                    double ratio = (double) s.trainableParams() / lora;
                    assertTrue(ratio > 0.4 && ratio < 2.5, s.method() + " " + budget + ": " + s.trainableParams()
                            + " vs LoRA " + lora);
                }
            }
        }
        // BOFT with one factor on the embedded model trains 4 (1664 b + 1728): LoRA r2 -> b 4, r8 -> b 16
        assertEquals(List.of(4, 16), finetune.stream().filter(s -> s.method().equals("boft") && s.seed() == 1
                && s.target().equals("de")).map(RunSpec::size).toList());
        Set<String> ids = plan.runs().stream().map(RunSpec::id).collect(Collectors.toSet());
        assertEquals(plan.size(), ids.size(), "every run has its own id");
        assertTrue(finetune.stream().allMatch(s -> ids.contains(s.baseRunId())));
    }

    @Test
    void quickPresetIsFiveMethodsAtOneBudgetOnGerman() throws Exception {
        ArenaPlan plan = ArenaPlanner.plan(preset("quick"), new TaskCatalog(Map.of(), 10, 1));
        assertEquals(List.of("base", "lora", "dora", "pissa", "oft", "full"),
                plan.runs().stream().map(RunSpec::method).toList());
        RunSpec oft = plan.runs().get(4);
        assertEquals(16, oft.size(), "OFT block size closest to LoRA rank 4's count");
        assertEquals(5e-3, oft.training().learningRate());
        assertEquals(3e-4, plan.runs().get(5).training().learningRate());
        assertEquals(plan.runs().stream().map(RunSpec::id).toList(),
                ArenaPlanner.plan(preset("quick"), new TaskCatalog(Map.of(), 10, 1)).runs().stream().map(RunSpec::id).toList(),
                "planning is deterministic");
    }

    @Test
    void missingModelOrTaskIsAConfigError() throws Exception {
        ArenaConfig c = preset("quick");
        ArenaConfig noModel = ArenaConfigLoader.load("quick", null, Map.of("base_model", tmp.resolve("none").toString()));
        assertTrue(assertThrows(ArenaConfigException.class, () -> ArenaPlanner.plan(noModel, new TaskCatalog(Map.of(), 1, 1)))
                .getMessage().contains("config.json"));
        ArenaConfig badTask = ArenaConfigLoader.load("quick", null, Map.of("base_model", c.baseModel(),
                "targets", List.of("klingon")));
        assertTrue(assertThrows(ArenaConfigException.class, () -> ArenaPlanner.plan(badTask, new TaskCatalog(Map.of(), 1, 1)))
                .getMessage().contains("klingon"));
    }

    @Test
    void learningRateSweepsMultiplyRunsAndKeyThem() throws Exception {
        Path file = tmp.resolve("lrs.yaml");
        Files.writeString(file, """
                methods: [lora, oft, full]
                training:
                  learning_rates: [1.0e-3, 4.0e-3]
                  per_method:
                    full: {learning_rates: [1.0e-4, 2.0e-4, 4.0e-4]}
                    oft: {learning_rate: 2.0e-3}
                """);
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), EMBEDDED_CONFIG);
        ArenaConfig c = ArenaConfigLoader.load("quick", file, Map.of("base_model", model.toString()));
        assertEquals(List.of(1.0e-3, 4.0e-3), c.training().learningRatesOf("lora"));
        assertEquals(List.of(2.0e-3), c.training().learningRatesOf("oft"), "a method's own rate beats the sweep");
        List<RunSpec> runs = ArenaPlanner.plan(c, new TaskCatalog(Map.of(), 10, 1)).runs().stream()
                .filter(s -> s.kind() == RunKind.FINETUNE).toList();
        assertEquals(2 + 1 + 3, runs.size());
        Set<Double> loraRates = runs.stream().filter(s -> s.method().equals("lora"))
                .map(s -> s.training().learningRate()).collect(Collectors.toSet());
        assertEquals(Set.of(1.0e-3, 4.0e-3), loraRates);
        assertEquals(runs.size(), runs.stream().map(RunSpec::id).distinct().count(), "ids differ by learning rate");
        assertTrue(runs.stream().anyMatch(s -> s.id().startsWith("lora-r4-de-lr0.004-s1-")), runs.toString());
        assertTrue(runs.stream().anyMatch(s -> s.id().startsWith("full-fixed-de-lr0.0001-s1-")));
        ArenaConfig cli = c.withTraining(c.training().withLearningRates(List.of(3.0e-3)));
        assertEquals(List.of(3.0e-3), cli.training().learningRatesOf("oft"), "--lrs replaces per-method rates");
        assertEquals(List.of(3.0e-3), cli.training().learningRatesOf("full"));
        Files.writeString(file, "training: {learning_rates: [1.0e-3, 1.0e-3]}\n");
        assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", file, Map.of()));
        Files.writeString(file, "training: {learning_rates: [-1.0e-3]}\n");
        assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", file, Map.of()));
    }

    @Test
    void loraFamilyAlphaIsTwiceTheRankUnlessSet() throws Exception {
        Path file = tmp.resolve("alpha.yaml");
        Files.writeString(file, """
                methods: [lora, dora, oft, pissa]
                budgets: [{name: r2, lora_rank: 2}, {name: r8, lora_rank: 8}]
                training:
                  per_method:
                    dora: {lora_alpha: 16}
                """);
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), EMBEDDED_CONFIG);
        ArenaConfig c = ArenaConfigLoader.load("quick", file, Map.of("base_model", model.toString()));
        List<RunSpec> runs = ArenaPlanner.plan(c, new TaskCatalog(Map.of(), 10, 1)).runs().stream()
                .filter(s -> s.kind() == RunKind.FINETUNE).toList();
        for (RunSpec s : runs) {
            switch (s.method()) {
                case "lora" -> assertEquals(2.0 * s.size(), s.loraAlpha(), s.id());
                case "dora" -> assertEquals(16.0, s.loraAlpha(), "set in the config");
                default -> assertEquals(null, s.loraAlpha(), s.method() + " has no lora_alpha");
            }
        }
        RunSpec lora2 = runs.stream().filter(s -> s.method().equals("lora") && s.budget().equals("r2")).findFirst()
                .orElseThrow();
        org.peftarena.peft.lora.LoraConfig lc = (org.peftarena.peft.lora.LoraConfig)
                org.peftarena.arena.run.LocalRunExecutor.methodConfig(lora2);
        assertEquals(2.0, lc.scaling(), 1e-12, "alpha / r = 2 at every budget");
    }

    @Test
    void studyPresetSweepsThreeLearningRatesOverTwoBudgetsAndSeeds() throws Exception {
        ArenaConfig c = preset("study");
        List<RunSpec> runs = ArenaPlanner.plan(c, new TaskCatalog(Map.of(), 10, 1)).runs().stream()
                .filter(s -> s.kind() == RunKind.FINETUNE).toList();
        assertEquals((2 + 2 + 1) * 3 * 2, runs.size(), "lora and oft at r2 and r8, full once; 3 rates; 2 seeds");
        assertEquals(3, runs.stream().filter(s -> s.method().equals("oft")).map(s -> s.training().learningRate())
                .distinct().count());
        assertEquals(List.of("addition"), c.extraTasks());
        assertTrue(c.evaluation().maxTokens() >= 32768);
        assertTrue(c.interpolation().alphas().contains("0.25"), "the alpha grid goes below 0.5");
    }
}
