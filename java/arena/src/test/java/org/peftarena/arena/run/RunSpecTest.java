package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunTraining;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.registry.SyntheticRuns;

class RunSpecTest {
    @Test
    void hashIsStableThroughJsonAndChangesWithAnyField() {
        RunSpec base = SyntheticRuns.base("de");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "de", 1, base);
        RunSpec back = RunSpecJson.read(RunSpecJson.pretty(lora), RunSpec.class);
        assertEquals(lora, back);
        assertEquals(lora.configHash(), back.configHash());
        assertEquals(64, lora.configHash().length());
        assertTrue(lora.id().startsWith("lora-r4-de-lr0.001-s1-"), lora.id());
        assertNotEquals(lora.id(), SyntheticRuns.finetune("lora", "r4", "de", 2, base).id());
        RunSpec otherLr = new RunSpec(lora.kind(), lora.baseModel(), lora.baseModelFingerprint(), lora.method(),
                lora.size(), lora.budget(), lora.budgetParams(), lora.trainableParams(), lora.target(), lora.general(),
                lora.seed(), lora.targetModules(), new RunTraining(10, 2, 16, 2e-3, 0.1, 0.01, 1, 5), lora.evaluation(),
                lora.data(), lora.baseRunId());
        assertNotEquals(lora.configHash(), otherLr.configHash());
        assertEquals(List.of("de", "g1", "g2"), lora.evaluationTasks());
    }

    @Test
    void mapOrderDoesNotChangeTheHash() {
        RunSpec a = new RunSpec(RunKind.BASE, "/m", "f", "base", 0, "base", 0, 0, "t", List.of("x"), 0, List.of("q"),
                null, new EvaluationSettings(1, 1, 0, 1, 1, 0), new java.util.LinkedHashMap<>(Map.of("t", "1")), null);
        java.util.LinkedHashMap<String, String> data = new java.util.LinkedHashMap<>();
        data.put("x", "2");
        data.put("t", "1");
        java.util.LinkedHashMap<String, String> reversed = new java.util.LinkedHashMap<>();
        reversed.put("t", "1");
        reversed.put("x", "2");
        assertEquals(withData(a, data).configHash(), withData(a, reversed).configHash());
    }

    @Test
    void finetuningRunsNeedATrainingRecipe() {
        RunSpec base = SyntheticRuns.base("de");
        assertThrows(IllegalArgumentException.class, () -> new RunSpec(RunKind.FINETUNE, "/m", "f", "lora", 4, "r4", 1,
                1, "de", List.of("g"), 1, List.of("q"), null, base.evaluation(), Map.of(), base.id()));
    }

    private static RunSpec withData(RunSpec s, Map<String, String> data) {
        return new RunSpec(s.kind(), s.baseModel(), s.baseModelFingerprint(), s.method(), s.size(), s.budget(),
                s.budgetParams(), s.trainableParams(), s.target(), s.general(), s.seed(), s.targetModules(), s.training(),
                s.evaluation(), data, s.baseRunId());
    }
}
