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
import org.peftarena.peft.PeftMethod;
import org.peftarena.train.rl.RlDefaultLearningRates;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.sft.DefaultLearningRates;

class RegimeConfigTest {
    @TempDir
    Path tmp;

    private Path yaml(String text) throws Exception {
        Path f = tmp.resolve("arena.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void presetsWithoutARegimeAreSft() {
        assertEquals(Regime.SFT, ArenaConfigLoader.load("quick", null, Map.of()).regime());
        assertEquals(Regime.BOTH, ArenaConfigLoader.load("full", null, Map.of()).regime());
    }

    @Test
    void quickRlPresetIsFullLoraOftAtOneBudgetOneSeedOnTheArithmeticTarget() {
        ArenaConfig c = ArenaConfigLoader.load("quick-rl", null, Map.of());
        assertEquals(Regime.RL, c.regime());
        assertEquals(List.of("full", "lora", "oft"), c.methods());
        assertEquals(1, c.budgets().size());
        assertEquals(List.of(1L), c.seeds());
        assertEquals(List.of("arithmetic"), c.targets());
        assertEquals(16, c.evaluation().passSamplesOrDefault(), "pass@16 needs n >= 16");
        for (String m : c.methods()) {
            assertEquals(List.of(RlDefaultLearningRates.forMethod(PeftMethod.parse(m))),
                    c.training().learningRatesOf(m, c.regime()), m + " runs at its RL default");
        }
    }

    @Test
    void regimeIsReadFromAUserFileWithTheRlBlock() throws Exception {
        ArenaConfig c = ArenaConfigLoader.load("quick", yaml("""
                regime: rl
                targets: [arithmetic]
                rl: {group_size: 4, prompt_batch: 2, kl_coef: 0.05}
                """), Map.of());
        assertEquals(Regime.RL, c.regime());
        assertEquals(4, c.rl().groupSize());
        assertEquals(2, c.rl().promptBatch());
        assertEquals(RlOptions.DEFAULT_MINI_BATCHES, c.rl().miniBatches(), "unset fields keep their defaults");
        assertEquals(0.05, c.rl().klCoef());
        c = ArenaConfigLoader.load("quick", yaml("regime: sft\n"), Map.of());
        assertEquals(Regime.SFT, c.regime());
        assertEquals(Regime.BOTH, ArenaConfigLoader.load("quick", yaml("regime: both\n"), Map.of()).regime());
        assertEquals(Regime.RL, Regime.BOTH.forTarget(true));
        assertEquals(Regime.SFT, Regime.BOTH.forTarget(false));
        assertEquals(Regime.SFT, Regime.SFT.forTarget(true), "a single regime is its own; the planner rejects the misfit");
        assertThrows(IllegalStateException.class, () -> Regime.BOTH.defaultLearningRate(PeftMethod.parse("lora")));
    }

    @Test
    void aBadRegimeNamesTheKeyAndTheAcceptedValues() throws Exception {
        ArenaConfigException e = assertThrows(ArenaConfigException.class,
                () -> ArenaConfigLoader.load("quick", yaml("regime: grpo\n"), Map.of()));
        assertTrue(e.getMessage().contains("regime") && e.getMessage().contains("'sft', 'rl' or 'both'")
                && e.getMessage().contains("grpo"), e.getMessage());
    }

    @Test
    void aBadRlRecipeNamesTheBlock() throws Exception {
        ArenaConfigException e = assertThrows(ArenaConfigException.class,
                () -> ArenaConfigLoader.load("quick-rl", yaml("rl: {group_size: 1}\n"), Map.of()));
        assertTrue(e.getMessage().contains("rl:") && e.getMessage().contains("group size"), e.getMessage());
        e = assertThrows(ArenaConfigException.class,
                () -> ArenaConfigLoader.load("quick-rl", yaml("rl: {prompt_batch: 3, group_size: 3, mini_batches: 2}\n"), Map.of()));
        assertTrue(e.getMessage().contains("mini-batches"), e.getMessage());
    }

    @Test
    void rlDefaultsAreATenthOfTheSftDefaultsAndExplicitRatesWin() {
        TrainingSettings t = new TrainingSettings(10, 4, 32, null, 0.1, 0.0, 1.0, 0,
                Map.of("oft", new MethodTraining(7e-4, null)));
        double lora = DefaultLearningRates.forMethod(PeftMethod.parse("lora"));
        assertEquals(List.of(lora), t.learningRatesOf("lora", Regime.SFT));
        assertEquals(lora / 10, t.learningRatesOf("lora", Regime.RL).get(0), 1e-15);
        assertEquals(List.of(3e-4), t.learningRatesOf("full", Regime.RL), "written as a plain decimal in run ids");
        assertEquals(List.of(7e-4), t.learningRatesOf("oft", Regime.RL));
    }
}
