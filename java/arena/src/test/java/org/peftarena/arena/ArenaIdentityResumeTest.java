package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peftarena.arena.progress.ArenaListener;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.train.StopRequest;
import org.peftarena.train.TrainingProgress;
import org.peftarena.train.TrainingStoppedException;

/**
 * A run is identified by content, not by paths: a copied work directory over a copied base model
 * reruns nothing and lists nothing twice; an interrupted run resumes from its last checkpoint and
 * lands on the uninterrupted run's answers.
 */
class ArenaIdentityResumeTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clearStop() {
        StopRequest.clear();
    }

    @Test
    void aCopiedWorkdirOverACopiedModelRedoesNothing() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("in"), List.of("lora"), 4);
        Path work = tmp.resolve("work");
        ArenaOutcome first = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, first.failed());
        int runs = first.plan().size();

        // move the work directory and copy the model elsewhere (new paths, new modification times)
        Path moved = tmp.resolve("elsewhere/work");
        copy(work, moved);
        delete(work);
        Path model = copy(Path.of(config.baseModel()), tmp.resolve("models/copy"));
        ArenaConfig copied = new ArenaConfig(config.name(), model.toString(), config.methods(), config.budgets(),
                config.targets(), config.general(), config.seeds(), config.targetModules(), config.training(),
                config.evaluation(), config.tasks(), config.interpolation(), config.diagnostics());

        List<String> started = new ArrayList<>();
        ArenaOutcome again = new ArenaRunner(copied, moved, new ArenaListener() {
            @Override
            public void runStarted(int index, RunSpec spec) {
                started.add(spec.id());
            }
        }).run();
        assertEquals(List.of(), started, "nothing is redone");
        assertEquals(0, again.executed());
        assertEquals(runs, again.skipped());
        try (RunRegistry r = RunRegistry.open(ArenaRunner.registryFile(moved))) {
            assertEquals(runs, r.all().size(), "nothing is listed twice");
            for (RunRecord rec : r.all()) {
                assertEquals(1, rec.attempts(), rec.id());
                assertTrue(Path.of(rec.artifactDir()).startsWith(moved.toAbsolutePath()), rec.artifactDir());
            }
        }
        assertEquals(runs, again.report().runs().size() + again.report().bases().size(), "the report lists each run once");
    }

    @Test
    void anInterruptedRunResumesFromItsLastCheckpointWithTheSameAnswers() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("in"), List.of("lora"), 6); // checkpoints every 3 steps
        Path straight = tmp.resolve("straight");
        assertEquals(0, new ArenaRunner(config, straight, ArenaListener.NONE).run().failed());

        Path work = tmp.resolve("work");
        int stopAfter = 4;
        assertThrows(TrainingStoppedException.class, () -> new ArenaRunner(config, work, new ArenaListener() {
            @Override
            public void runStep(int index, RunSpec spec, TrainingProgress p) {
                if (p.step() == stopAfter) {
                    StopRequest.request(); // what a termination signal does
                }
            }
        }).run());
        StopRequest.clear();

        List<Integer> steps = new ArrayList<>();
        ArenaOutcome resumed = new ArenaRunner(config, work, new ArenaListener() {
            @Override
            public void runStep(int index, RunSpec spec, TrainingProgress p) {
                steps.add(p.step());
            }
        }).run();
        assertEquals(0, resumed.failed());
        assertEquals(List.of(stopAfter + 1, stopAfter + 2), steps, "training resumed after step " + stopAfter);
        try (RunRegistry a = RunRegistry.open(ArenaRunner.registryFile(straight));
             RunRegistry b = RunRegistry.open(ArenaRunner.registryFile(work))) {
            assertEquals(a.all().size(), b.all().size());
            for (RunRecord r : a.all()) {
                RunRecord other = b.find(r.id()).orElseThrow();
                assertEquals(RunStatus.FINISHED, other.status(), r.id());
                if (r.kind() == RunKind.FINETUNE) {
                    assertEquals(2, other.attempts(), "interrupted, then resumed: " + r.id());
                }
                assertEquals(sorted(a.scores(r.id())), sorted(b.scores(r.id())), "scores of " + r.id());
                assertEquals(a.checkpoints(r.id()), b.checkpoints(r.id()), "trajectory checkpoints of " + r.id());
            }
        }
    }

    @Test
    void aPlanStoresABaseModelInsideTheWorkdirRelativeToIt() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("work/in"), List.of("lora"), 2);
        Path work = tmp.resolve("work");
        PlanFile written = new ArenaRunner(config, work, ArenaListener.NONE).writePlan();
        String json = Files.readString(PlanFile.file(work), StandardCharsets.UTF_8);
        assertFalse(json.contains(work.toAbsolutePath().toString()), "no absolute path into the work directory");
        assertTrue(json.contains("\"base_model\" : \"in/model\""), json);
        assertTrue(json.contains("\"in/data/tgt-train.txt\""), "task data relative too: " + json);

        Path mounted = tmp.resolve("mnt/other");
        copy(work, mounted);
        PlanFile read = PlanFile.read(mounted);
        assertEquals(written.runs().stream().map(RunSpec::id).toList(), read.runs().stream().map(RunSpec::id).toList());
        assertEquals(mounted.resolve("in/model").toAbsolutePath().normalize().toString(), read.runs().get(0).baseModel());
        assertEquals(mounted.resolve("in/data/tgt-train.txt").toAbsolutePath().normalize().toString(),
                read.arenaConfig().tasks().get("tgt").train());
    }

    @Test
    void aRegistryOfTheEarlierPathBasedSchemaIsRefusedWithAClearMessageButStillReadable() throws Exception {
        Path file = tmp.resolve("old/registry.db");
        try (RunRegistry r = RunRegistry.open(file)) {
            r.putSetting("schema_version", "1");
        }
        var e = assertThrows(org.peftarena.arena.registry.RegistryException.class, () -> RunRegistry.open(file));
        assertTrue(e.getMessage().contains("base model's path") && e.getMessage().contains("--workdir"), e.getMessage());
        try (RunRegistry r = RunRegistry.openReadOnly(file)) {
            assertEquals(0, r.all().size());
        }
    }

    /** The rows that are results (throughputs are timings and differ between any two runs). */
    private static List<ScoreRow> sorted(List<ScoreRow> rows) {
        return rows.stream().filter(r -> !r.metric().contains("per_second"))
                .sorted(Comparator.comparing(ScoreRow::toString)).toList();
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t); // no COPY_ATTRIBUTES: new modification times, as cp -r gives
                }
            }
        }
        return to;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
