package org.peftarena.arena.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftarena.arena.eval.EvaluationSettings;

class RunSpecRegimeTest {
    private static final RunRl RL = new RunRl(8, 8, 2, 4, 1.0, 0, 0.2, true, 0.0);

    private static RunSpec spec(RunKind kind, RunRl rl) {
        RunTraining t = kind == RunKind.FINETUNE ? new RunTraining(20, 8, 128, 2e-3, 0.1, 0.01, 1.0, 10) : null;
        return new RunSpec(kind, "/m", "fp", kind == RunKind.BASE ? RunSpec.BASE_METHOD : "lora", 4, "r4", 100, 100,
                "arithmetic", List.of("en"), 1, List.of("q_proj"), t, new EvaluationSettings(0, 8, 0, 8, 1, 0),
                Map.of("arithmetic", "v", "en", "v"), null, List.of(), null, rl);
    }

    @Test
    void theSameRunInTheTwoRegimesHasTwoIdsAndTheRlOneSaysSo() {
        for (RunKind kind : List.of(RunKind.BASE, RunKind.FINETUNE)) {
            RunSpec sft = spec(kind, null);
            RunSpec rl = spec(kind, RL);
            assertNotEquals(sft.id(), rl.id());
            assertNotEquals(sft.configHash(), rl.configHash());
            assertEquals(RunSpec.SFT, sft.regime());
            assertEquals(RunSpec.RL, rl.regime());
            assertTrue(rl.id().startsWith(kind == RunKind.BASE ? "base-rl-" : "rl-"), rl.id());
            assertFalse(sft.id().contains("rl-"), sft.id());
        }
    }

    @Test
    void sftSpecsKeepTheirHashAndRlRecipesRoundTrip() throws Exception {
        RunSpec sft = spec(RunKind.FINETUNE, null);
        assertFalse(RunSpecJson.MAPPER.writeValueAsString(sft).contains("\"rl\""), "an SFT spec's JSON is unchanged");
        RunSpec old = new RunSpec(sft.kind(), sft.baseModel(), sft.baseModelFingerprint(), sft.method(), sft.size(),
                sft.budget(), sft.budgetParams(), sft.trainableParams(), sft.target(), sft.general(), sft.seed(),
                sft.targetModules(), sft.training(), sft.evaluation(), sft.data(), sft.baseRunId(), sft.extraTasks(),
                sft.loraAlpha());
        assertEquals(old.id(), sft.id());
        RunSpec rl = spec(RunKind.FINETUNE, RL);
        RunSpec back = RunSpecJson.MAPPER.readValue(RunSpecJson.MAPPER.writeValueAsString(rl), RunSpec.class);
        assertEquals(rl, back);
        assertEquals(rl.id(), back.id());
        assertNotEquals(rl.id(), spec(RunKind.FINETUNE, new RunRl(8, 4, 2, 4, 1.0, 0, 0.2, true, 0.0)).id(),
                "the GRPO recipe is part of the hash");
    }
}
