package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.run.RunArtifacts;
import org.peftarena.arena.spec.RunSpec;

/**
 * Hard-kills an arena process in the middle of its third run (two finished), reruns the arena, and checks that the
 * finished runs were neither lost nor recomputed and that the interrupted run was taken up again (a second
 * attempt; {@link ArenaIdentityResumeTest} checks that it continues from its last checkpoint).
 */
class ArenaResumeAfterKillTest {
    @TempDir
    Path tmp;

    @Test
    void rerunAfterKill9KeepsFinishedRunsAndCompletesTheRest() throws Exception {
        Path configFile = tmp.resolve("arena.json");
        Files.writeString(configFile, ArenaConfigLoader.toJson(
                TinyArena.config(tmp.resolve("in"), List.of("full", "lora", "dora", "oft"), 8)), StandardCharsets.UTF_8);
        ArenaConfig config = ArenaConfigLoader.load("quick", configFile, Map.of()); // what the child runs
        Path work = tmp.resolve("work");

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TinyArenaMain.class.getName(), configFile.toString(),
                work.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process child = pb.start();
        List<String> finishedByChild = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("FINISHED ")) {
                    finishedByChild.add(line.substring(9));
                } else if (line.startsWith("TRAINING ") && finishedByChild.size() >= 2) {
                    break; // a third run is mid-training: kill now
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the killed arena did not exit");
        }
        assertEquals(2, finishedByChild.size(), "the child arena finished two runs before the kill");

        Map<String, String> finishedAt = new HashMap<>();
        Map<String, List<ScoreRow>> scoresBefore = new HashMap<>();
        int interrupted;
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (String id : finishedByChild) {
                RunRecord rec = reg.find(id).orElseThrow();
                assertEquals(RunStatus.FINISHED, rec.status(), id);
                finishedAt.put(id, rec.finishedAt());
                scoresBefore.put(id, reg.scores(id));
            }
            interrupted = (int) reg.all().stream().filter(r -> r.status() == RunStatus.RUNNING).count();
        }
        assertEquals(1, interrupted, "the kill left exactly one run marked running");

        List<String> skipped = new ArrayList<>();
        ArenaOutcome rerun = new ArenaRunner(config, work, new ArenaListener() {
            @Override
            public void runSkipped(int index, RunSpec spec) {
                skipped.add(spec.id());
            }
        }).run();
        assertEquals(finishedByChild, skipped, "exactly the runs finished before the kill are skipped");
        assertEquals(rerun.plan().size() - 2, rerun.executed());
        assertEquals(0, rerun.failed());
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord rec : reg.all()) {
                assertEquals(RunStatus.FINISHED, rec.status(), rec.id());
                assertTrue(Files.isRegularFile(Path.of(rec.artifactDir()).resolve(RunArtifacts.RESULT_FILE)), rec.id());
                if (finishedByChild.contains(rec.id())) {
                    assertEquals(1, rec.attempts(), "finished before the kill, not recomputed: " + rec.id());
                    assertEquals(finishedAt.get(rec.id()), rec.finishedAt(), rec.id());
                    assertEquals(scoresBefore.get(rec.id()), reg.scores(rec.id()), rec.id());
                }
            }
            assertTrue(reg.all().stream().anyMatch(r -> r.attempts() == 2), "the interrupted run was taken up again");
        }
    }
}
