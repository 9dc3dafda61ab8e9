package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.DiagnosticsSettings;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;

/** When the diagnostics stage does nothing, and that it never throws into the arena loop. */
class RunDiagnosticsStageTest {
    @TempDir
    Path tmp;

    private final TaskCatalog catalog = new TaskCatalog(Map.of(), 4, 1);

    @Test
    void onlyFinishedFinetuningRunsWithDiagnosticsSwitchedOnAreAnalysed() {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        List<String> phases = new ArrayList<>();
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            RunDiagnosticsStage on = new RunDiagnosticsStage(DiagnosticsSettings.defaults(), catalog, tmp);
            RunDiagnosticsStage off = new RunDiagnosticsStage(DiagnosticsSettings.disabled(), catalog, tmp);
            assertEquals(RunDiagnosticsStage.Outcome.NOT_APPLICABLE, on.ensure(base, r, phases::add), "base run");
            assertEquals(RunDiagnosticsStage.Outcome.NOT_APPLICABLE, on.ensure(lora, r, phases::add), "unregistered");
            r.register(lora, tmp.resolve("runs").resolve(lora.id()));
            assertEquals(RunDiagnosticsStage.Outcome.NOT_APPLICABLE, on.ensure(lora, r, phases::add), "pending");
            SyntheticRuns.store(r, lora, SyntheticRuns.result(lora, 20, 40, 40));
            assertEquals(RunDiagnosticsStage.Outcome.NOT_APPLICABLE, off.ensure(lora, r, phases::add), "switched off");
            assertTrue(phases.isEmpty());
        }
    }

    @Test
    void anUnreadableRegistryIsAFailedOutcomeNotAnException() {
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, SyntheticRuns.base("t"));
        RunRegistry closed = RunRegistry.open(tmp.resolve("r.db"));
        closed.close();
        assertEquals(RunDiagnosticsStage.Outcome.FAILED, new RunDiagnosticsStage(DiagnosticsSettings.defaults(), catalog,
                tmp).ensure(lora, closed, phase -> { }));
    }
}
