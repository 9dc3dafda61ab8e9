package org.peftarena.arena.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Arena configs are as strict as a careful reader: no duplicate keys, no rounding, no escaping names, no Java names in errors. */
class ArenaConfigStrictnessTest {
    @TempDir
    Path tmp;

    private ArenaConfigException refused(String yaml) throws Exception {
        Path f = tmp.resolve("arena.yaml");
        Files.writeString(f, yaml);
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", f, Map.of()));
        assertFalse(e.getMessage().matches("(?s).*\\b(java\\.|org\\.peftarena|com\\.fasterxml)\\S*.*"), e.getMessage());
        assertFalse(e.getMessage().contains("`"), e.getMessage());
        return e;
    }

    @Test
    void duplicateKeysAreRefused() throws Exception {
        ArenaConfigException e = refused("name: a\ntraining:\n  steps: 5\n  steps: 6\n");
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
    }

    @Test
    void nonIntegerStepCountsAreRefusedNamingTheKey() throws Exception {
        ArenaConfigException e = refused("training:\n  steps: 1.5\n");
        assertTrue(e.getMessage().contains("training.steps") && e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void wrongShapesNameTheKeyInConfigTerms() throws Exception {
        ArenaConfigException e = refused("methods: lora\n");
        assertTrue(e.getMessage().contains("methods") && e.getMessage().contains("list"), e.getMessage());
        e = refused("training:\n  stepz: 3\n");
        assertTrue(e.getMessage().contains("unknown key 'stepz' in training"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"executor:\n  parallel: many\n", "executor:\n  env: [1, 2]\n", "executor:\n  cpus_per_task: 1.5\n"})
    void executorErrorsSpeakInConfigTerms(String yaml) throws Exception {
        Path f = tmp.resolve("executor.yaml");
        Files.writeString(f, yaml);
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.loadExecutor(f));
        assertFalse(e.getMessage().matches("(?s).*\\b(java\\.|org\\.peftarena|com\\.fasterxml)\\S*.*"), e.getMessage());
        assertFalse(e.getMessage().contains("`"), e.getMessage());
        assertTrue(e.getMessage().contains("executor: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/b", "..", "/abs", "x\\\\y"})
    void aNameCannotLeaveTheWorkRoot(String name) throws Exception {
        ArenaConfigException e = refused("name: \"" + name + "\"\n");
        assertTrue(e.getMessage().contains("name"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path f = tmp.resolve("bom.yaml");
        Files.write(f, "\uFEFFname: bom\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(ArenaConfigLoader.load("quick", f, Map.of()).name().equals("bom"));
    }

    @Test
    void aFifoIsRefusedInsteadOfHanging() throws Exception {
        Path fifo = tmp.resolve("fifo.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaConfigLoader.load("quick", fifo, Map.of()));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void unknownTargetsAndOverlongSequencesFailBeforeTheWorkdirExists() throws Exception {
        ArenaConfig good = org.peftarena.arena.TinyArenaAccess.config(tmp.resolve("root"), List.of("lora"), 2);
        Path work = tmp.resolve("work");
        ArenaConfig unknown = new ArenaConfig(good.name(), good.baseModel(), good.methods(), good.budgets(), List.of("nope"),
                good.general(), good.seeds(), good.targetModules(), good.training(), good.evaluation(), good.tasks());
        assertThrows(ArenaConfigException.class,
                () -> new org.peftarena.arena.ArenaRunner(unknown, work, org.peftarena.arena.progress.ArenaListener.NONE).run());
        assertFalse(Files.exists(work), "an invalid arena created " + work);
        TrainingSettings t = good.training();
        ArenaConfig tooLong = new ArenaConfig(good.name(), good.baseModel(), good.methods(), good.budgets(), good.targets(),
                good.general(), good.seeds(), good.targetModules(),
                new TrainingSettings(t.steps(), t.batchSize(), 100_000, t.learningRate(), t.warmupFraction(), t.weightDecay(),
                        t.maxGradNorm(), t.checkpointEvery(), t.perMethod()), good.evaluation(), good.tasks());
        ArenaConfigException e = assertThrows(ArenaConfigException.class,
                () -> new org.peftarena.arena.ArenaRunner(tooLong, work, org.peftarena.arena.progress.ArenaListener.NONE).run());
        assertTrue(e.getMessage().contains("max_position_embeddings"), e.getMessage());
        assertFalse(Files.exists(work), "an invalid arena created " + work);
    }
}
