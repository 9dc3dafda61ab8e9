package org.peftarena.arena.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.report.ReportBuilder;
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

    @Test
    void aRegistryThatFailsItsChecksLeavesNoConnectionOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc to list open files");
        Path db = tmp.resolve("v99.db");
        RunRegistry.open(db).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
        }
        for (int i = 0; i < 3; i++) {
            assertThrows(RegistryException.class, () -> RunRegistry.open(db));
        }
        assertEquals(List.of(), openFilesUnder(fds, tmp), "connections of failed opens are closed");
    }

    private static List<Path> openFilesUnder(Path fds, Path dir) throws Exception {
        Path real = dir.toRealPath();
        try (var s = Files.list(fds)) {
            return s.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd);
                } catch (Exception e) {
                    return null;
                }
            }).filter(t -> t != null && t.startsWith(real)).toList();
        }
    }

    @Test
    void nonFiniteScoresAreStoredAsFailuresWithTheReason() {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        RunResult res = SyntheticRuns.result(lora, 40, 20, 30);
        List<ScoreRow> rows = new ArrayList<>(ResultRows.of(lora, res));
        ScoreRow nan = new ScoreRow(lora.id(), ScoreRow.FINAL, 10, 1.0, "g1", "bits_per_token", Double.NaN);
        rows.removeIf(x -> x.phase().equals(nan.phase()) && x.task().equals(nan.task()) && x.metric().equals(nan.metric()));
        rows.add(nan);
        rows.add(new ScoreRow(lora.id(), ScoreRow.FINAL, 10, 1.0, "g2", "loss", Double.POSITIVE_INFINITY));
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            r.register(lora, tmp.resolve("a"));
            r.markRunning(lora.id());
            r.markFinished(res, rows);
            assertTrue(r.scores(lora.id()).stream().allMatch(x -> Double.isFinite(x.value())));
            List<ScoreFailure> failures = r.scoreFailures(lora.id());
            assertEquals(2, failures.size());
            ScoreFailure f = failures.get(0);
            assertEquals(List.of("g1", "bits_per_token", "NaN"), List.of(f.task(), f.metric(), f.value()));
            assertTrue(f.reason().contains("non-finite"), f.reason());
            assertEquals("Infinity", failures.get(1).value());

            String status = ReportBuilder.build(r, "t").runs().get(0).status();
            assertTrue(status.startsWith("finished; 2 scores failed") && status.contains("NaN"), status);

            r.markFinished(res, ResultRows.of(lora, res));
            assertEquals(List.of(), r.scoreFailures(lora.id()), "a rerun's finite scores replace the failures");
        }
    }
}
