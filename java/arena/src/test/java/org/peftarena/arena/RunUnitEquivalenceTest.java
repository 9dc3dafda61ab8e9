package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.exec.RunManifest;
import org.peftarena.arena.exec.RunUnit;
import org.peftarena.arena.exec.ShardExecutor;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.run.DiagnosticsArtifact;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.train.sft.SftCheckpoints;

/**
 * Run units (what every Slurm task or shard runs) give bit-identical scores, trajectories, post-hoc
 * paths, rewinding and diagnostics to the local arena, also when a finetuning run executes before its
 * base run has finished, and when a unit killed mid-run resumes from its last checkpoint.
 */
class RunUnitEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    void shardsAndAResumedUnitGiveTheLocalArenasAnswersBitForBit() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("in"), List.of("lora", "oft"), 4);
        Path local = tmp.resolve("local");
        ArenaOutcome l = new ArenaRunner(config, local, ArenaListener.NONE).run();
        assertEquals(0, l.failed());

        Path units = tmp.resolve("units");
        // shard 1 of 2 first: its finetuning run finds no finished base run and scores the base itself
        ArenaOutcome s1 = new ArenaRunner(config, units, ArenaListener.NONE, new ShardExecutor(1, 2)).run();
        ArenaOutcome s0 = new ArenaRunner(config, units, ArenaListener.NONE, new ShardExecutor(0, 2)).run();
        assertEquals(3, s0.executed() + s1.executed());
        assertEquals(null, s0.report(), "a shard writes no registry");
        assertFalse(Files.exists(ArenaRunner.registryFile(units)));

        // kill a finished unit back to its first checkpoint: the rerun resumes and lands on the same answers
        PlanFile plan = PlanFile.read(units);
        RunSpec oft = plan.runs().stream().filter(s -> s.method().equals("oft")).findFirst().orElseThrow();
        Path dir = RunUnit.runDir(units, oft.id());
        String before = Files.readString(dir.resolve(RunManifest.FILE));
        killedAfterFirstCheckpoint(dir);
        RunManifest again = new RunUnit(units, plan).run(oft, new RunListener() {
        });
        assertTrue(again.finished(), again.error());

        ArenaCollector.Collected c = ArenaCollector.collect(units);
        assertEquals(3, c.finished());
        try (RunRegistry a = RunRegistry.open(ArenaRunner.registryFile(local));
             RunRegistry b = RunRegistry.open(ArenaRunner.registryFile(units))) {
            for (RunRecord r : a.all()) {
                assertEquals(RunStatus.FINISHED, b.find(r.id()).orElseThrow().status(), r.id());
                List<ScoreRow> want = sorted(a.scores(r.id()));
                List<ScoreRow> got = sorted(b.scores(r.id()));
                assertEquals(want, got, "scores of " + r.id());
                assertEquals(a.checkpoints(r.id()), b.checkpoints(r.id()));
                assertEquals(a.artifacts("diagnostics", r.id()).size(), b.artifacts("diagnostics", r.id()).size());
            }
            assertEquals(a.setting("interpolation_settings"), b.setting("interpolation_settings"));
        }
        for (RunSpec s : plan.runs()) {
            Path fa = RunUnit.runDir(local, s.id()).resolve(DiagnosticsArtifact.JSON_FILE);
            Path fb = RunUnit.runDir(units, s.id()).resolve(DiagnosticsArtifact.JSON_FILE);
            assertEquals(Files.exists(fa), Files.exists(fb));
            if (Files.exists(fa)) {
                assertEquals(RunSpecJson.canonical(DiagnosticsArtifact.read(fa).diagnostics()).replace(local.toString(), "W"),
                        RunSpecJson.canonical(DiagnosticsArtifact.read(fb).diagnostics()).replace(units.toString(), "W"),
                        "diagnostics of " + s.id() + " (paths aside)");
            }
        }
        assertTrue(before.contains("\"finished\""));
    }

    /** Leaves a finished run folder as a unit killed right after its first checkpoint would. */
    private static void killedAfterFirstCheckpoint(Path dir) throws IOException {
        Path checkpoints = dir.resolve("model").resolve(SftCheckpoints.DIR);
        List<Path> steps;
        try (Stream<Path> s = Files.list(checkpoints)) {
            steps = s.sorted(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().substring(5)))).toList();
        }
        assertTrue(steps.size() >= 2, "the test needs two checkpoints, has " + steps);
        List<Path> keep = new ArrayList<>(List.of(dir, dir.resolve("model"), checkpoints, dir.resolve("spec.json")));
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                boolean firstCheckpoint = p.startsWith(steps.get(0));
                if (!keep.contains(p) && !firstCheckpoint) {
                    Files.delete(p);
                }
            }
        }
    }

    private static List<ScoreRow> sorted(List<ScoreRow> rows) {
        List<ScoreRow> out = new ArrayList<>(rows);
        out.removeIf(r -> r.metric().equals("tokens_per_second")); // a timing, not an answer
        out.sort(Comparator.comparing(ScoreRow::toString));
        return out;
    }
}
