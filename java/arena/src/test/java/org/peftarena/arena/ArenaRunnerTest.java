package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.report.RunRow;
import org.peftarena.arena.run.RunArtifacts;

class ArenaRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void runsEveryMethodRecordsScoresAndSkipsFinishedRunsOnRerun() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("in"), List.of("full", "lora", "oft"), 6);
        Path work = tmp.resolve("work");
        ArenaOutcome first = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(4, first.plan().size(), "one base run and three methods");
        assertEquals(4, first.executed());
        assertEquals(0, first.failed());
        try (RunRegistry r = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord rec : r.all()) {
                assertEquals(RunStatus.FINISHED, rec.status(), rec.id());
                assertEquals(1, rec.attempts());
                assertTrue(Files.isRegularFile(Path.of(rec.artifactDir()).resolve(RunArtifacts.RESULT_FILE)));
            }
        }
        for (RunRow row : first.report().runs()) {
            assertNotNull(row.targetScore(), row.runId());
            assertNotNull(row.gain(), row.runId());
        }
        ArenaOutcome second = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, second.executed());
        assertEquals(4, second.skipped());
    }
}
