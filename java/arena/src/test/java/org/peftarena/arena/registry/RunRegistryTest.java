package org.peftarena.arena.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;

class RunRegistryTest {
    @TempDir
    Path tmp;

    @Test
    void registeringTwiceKeepsOneRowAndItsStatus() {
        RunSpec base = SyntheticRuns.base("t");
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            r.register(base, tmp.resolve("a"));
            r.markRunning(base.id());
            r.markFinished(SyntheticRuns.result(base, 10, 20, 30), ResultRows.of(base, SyntheticRuns.result(base, 10, 20, 30)));
            RunRecord again = r.register(base, tmp.resolve("b"));
            assertEquals(RunStatus.FINISHED, again.status());
            assertEquals(tmp.resolve("a").toAbsolutePath().toString(), again.artifactDir());
            assertEquals(1, r.all().size());
        }
    }

    @Test
    void finishedRunsStoreScoresAggregatesTrajectoryAndCheckpoints() {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        RunResult res = SyntheticRuns.result(lora, 40, 20, 30);
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, lora, res);
            RunRecord rec = r.find(lora.id()).orElseThrow();
            assertEquals(RunStatus.FINISHED, rec.status());
            assertEquals(1, rec.attempts());
            assertEquals("cpu", rec.backend());
            assertEquals(lora.configHash(), rec.configHash());
            assertEquals(320.0, rec.trainTokensPerSecond(), 1e-9);
            List<ScoreRow> rows = r.scores(lora.id());
            assertTrue(rows.contains(new ScoreRow(lora.id(), ScoreRow.FINAL, 10, 1.0, ScoreRow.GENERAL, ScoreRow.SCORE, 25.0)));
            assertTrue(rows.contains(new ScoreRow(lora.id(), ScoreRow.FINAL, 10, 1.0, ScoreRow.TARGET, ScoreRow.SCORE, 40.0)));
            assertTrue(rows.contains(new ScoreRow(lora.id(), ScoreRow.TRAJECTORY, 5, 1.0, ScoreRow.TARGET, ScoreRow.SCORE, 20.0)));
            assertEquals(Map.of(5, "model/checkpoints/step-000005"), r.checkpoints(lora.id()));
        }
    }

    @Test
    void interruptedRunsAreResetAndFailuresRecorded() {
        RunSpec a = SyntheticRuns.base("a");
        RunSpec b = SyntheticRuns.base("b");
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            r.register(a, tmp);
            r.register(b, tmp);
            r.markRunning(a.id());
            r.markRunning(b.id());
            r.markFailed(b.id(), "boom");
            assertEquals(List.of(a.id()), r.resetInterrupted());
            assertEquals(RunStatus.PENDING, r.find(a.id()).orElseThrow().status());
            RunRecord failed = r.find(b.id()).orElseThrow();
            assertEquals(RunStatus.FAILED, failed.status());
            assertEquals("boom", failed.error());
            r.markRunning(b.id());
            assertNull(r.find(b.id()).orElseThrow().error());
            assertEquals(2, r.find(b.id()).orElseThrow().attempts());
        }
    }

    @Test
    void finishingAnUnregisteredRunChangesNothing() {
        RunSpec a = SyntheticRuns.base("a");
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            RunResult res = SyntheticRuns.result(a, 1, 2, 3);
            assertThrows(RegistryException.class, () -> r.markFinished(res, ResultRows.of(a, res)));
            assertTrue(r.scores(a.id()).isEmpty(), "the transaction was rolled back");
        }
    }

    @Test
    void committedResultsSurviveReopeningAndAForeignSchemaIsRejected() throws Exception {
        RunSpec a = SyntheticRuns.base("a");
        Path db = tmp.resolve("r.db");
        try (RunRegistry r = RunRegistry.open(db)) {
            SyntheticRuns.store(r, a, SyntheticRuns.result(a, 1, 2, 3));
        }
        try (RunRegistry r = RunRegistry.open(db)) {
            assertEquals(RunStatus.FINISHED, r.find(a.id()).orElseThrow().status());
            assertNotEquals(0, r.scores(a.id()).size());
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        assertTrue(assertThrows(RegistryException.class, () -> RunRegistry.open(db)).getMessage().contains("99"));
        Path garbage = Files.writeString(tmp.resolve("g.db"), "this is not a database, not even close to one......");
        assertThrows(RegistryException.class, () -> RunRegistry.open(garbage));
    }
}
