package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ExecutorSettings;
import org.peftarena.arena.exec.Interruption;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.exec.slurm.SlurmCommands;
import org.peftarena.arena.exec.slurm.SlurmExecutor;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;

/** The Slurm executor against fake sbatch / squeue / scancel scripts: no cluster, no training. */
class SlurmExecutorTest {
    @TempDir
    Path tmp;

    private ArenaConfig config;
    private FakeSlurm fake;
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() throws IOException {
        config = TinyArena.config(tmp.resolve("in"), List.of("lora", "oft", "dora"), 4);
        fake = new FakeSlurm(tmp.resolve("fake"));
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** Records what the coordinator reports. */
    static final class Recorder implements ArenaListener {
        final List<String> notices = new CopyOnWriteArrayList<>();
        final List<String> progress = new CopyOnWriteArrayList<>();
        final Map<String, String> failures = new ConcurrentHashMap<>();
        final List<String> finished = new CopyOnWriteArrayList<>();

        @Override
        public void notice(String message) {
            notices.add(message);
        }

        @Override
        public void arrayProgress(int queued, int running, int done, int failed) {
            progress.add(queued + "/" + running + "/" + done + "/" + failed);
        }

        @Override
        public void runFinished(int index, RunSpec spec, RunResult result) {
            finished.add(spec.id());
        }

        @Override
        public void runFailed(int index, RunSpec spec, Exception error) {
            failures.put(spec.id(), error.getMessage());
        }
    }

    private static ExecutorSettings settings() {
        return new ExecutorSettings("slurm", "gpu", "01:00:00", 4, "16G", "gpu:1", "proj", "normal", 2,
                List.of("--requeue"), Map.of("OMP_NUM_THREADS", "1"), "-Xmx2g", "/usr/bin/java", "/opt/peft-arena.jar",
                0.05);
    }

    private Future<ArenaOutcome> start(Path work, Recorder rec, SlurmCommands commands, boolean submitOnly,
                                       Interruption interruption) {
        return pool.submit(() -> new ArenaRunner(config, work, rec,
                new SlurmExecutor(settings(), commands, submitOnly, interruption)).run());
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static RunStatus status(Path work, String id) {
        try (RunRegistry r = RunRegistry.open(ArenaRunner.registryFile(work))) {
            return r.find(id).orElseThrow().status();
        }
    }

    @Test
    void submitsOneArrayIngestsRunsAsTheyLandReportsFailuresWithLogsAndResubmitsOnlyUnfinished() throws Exception {
        Path work = tmp.resolve("work");
        Recorder rec = new Recorder();
        fake.queue("100|0|RUNNING\n100|1|RUNNING\n100|2|PENDING\n100|3|PENDING\n"); // as squeue lists a new array
        Future<ArenaOutcome> run = start(work, rec, fake.commands(), false, Interruption.NEVER);
        await("sbatch", () -> !fake.sbatchCalls().isEmpty());
        List<RunSpec> runs = PlanFile.read(work).runs();
        assertEquals(4, runs.size());
        String call = fake.sbatchCalls().get(0);
        assertTrue(call.startsWith("--parsable --array=0-3%2 --requeue "), call);
        String script = Files.readString(work.resolve("slurm/array-1.sh"));
        for (String line : List.of("#SBATCH --partition=gpu", "#SBATCH --time=01:00:00", "#SBATCH --cpus-per-task=4",
                "#SBATCH --mem=16G", "#SBATCH --gres=gpu:1", "#SBATCH --account=proj", "#SBATCH --qos=normal",
                "export OMP_NUM_THREADS='1'", "export OPENBLAS_NUM_THREADS=", "-Xmx2g -jar '/opt/peft-arena.jar' arena run-one")) {
            assertTrue(script.contains(line), "script lacks " + line + ":\n" + script);
        }
        assertEquals(runs.stream().map(RunSpec::id).toList(), Files.readAllLines(work.resolve("slurm/runs-1.txt")));
        FakeSlurm.finish(work, runs.get(0), 50);
        await("run 0 ingested", () -> rec.finished.contains(runs.get(0).id()));
        FakeSlurm.failRun(work, runs.get(1), "IOException: disk full");
        FakeSlurm.corrupt(work, runs.get(2)); // a partial manifest: still unfinished
        fake.queue("100|2|RUNNING\n"); // task 3 left the queue without a manifest (killed)
        await("run 3 failed", () -> rec.failures.containsKey(runs.get(3).id()));
        assertTrue(rec.failures.get(runs.get(1).id()).contains("disk full"));
        assertTrue(rec.failures.get(runs.get(1).id()).contains(work.resolve("slurm/logs/100_1.log").toString()));
        assertTrue(rec.failures.get(runs.get(3).id()).contains("ended without a result"));
        assertTrue(rec.failures.get(runs.get(3).id()).contains("100_3.log"));
        assertFalse(rec.failures.containsKey(runs.get(2).id()), "a corrupt manifest is not a result");
        assertTrue(rec.progress.contains("0/1/1/2"), rec.progress.toString());
        fake.queue("");
        ArenaOutcome first = run.get(60, TimeUnit.SECONDS);
        assertEquals(1, first.executed());
        assertEquals(3, first.failed());
        assertEquals(RunStatus.FINISHED, status(work, runs.get(0).id()));
        assertEquals(RunStatus.FAILED, status(work, runs.get(2).id()));

        Recorder again = new Recorder();
        fake.queue("101|0|PENDING\n101|1|PENDING\n101|2|PENDING\n");
        Future<ArenaOutcome> rerun = start(work, again, fake.commands(), false, Interruption.NEVER);
        await("second sbatch", () -> fake.sbatchCalls().size() == 2);
        assertTrue(fake.sbatchCalls().get(1).startsWith("--parsable --array=0-2%2 "), fake.sbatchCalls().get(1));
        assertEquals(runs.subList(1, 4).stream().map(RunSpec::id).toList(),
                Files.readAllLines(work.resolve("slurm/runs-2.txt")));
        for (RunSpec s : runs.subList(1, 4)) {
            FakeSlurm.finish(work, s, 60);
        }
        ArenaOutcome second = rerun.get(60, TimeUnit.SECONDS);
        assertEquals(3, second.executed());
        assertEquals(1, second.skipped());
        assertEquals(0, second.failed());
        assertEquals(3, second.report().runs().size(), "one row per finetuning run");
    }

    @Test
    void tasksGetAnAbsoluteWorkdirWhenTheArenaWasGivenARelativeOne() throws Exception {
        Path work = tmp.resolve("rel-work");
        Path relative = Path.of("").toAbsolutePath().relativize(work);
        assertFalse(relative.isAbsolute());
        start(relative, new Recorder(), fake.commands(), true, Interruption.NEVER).get(60, TimeUnit.SECONDS);
        String script = Files.readString(work.resolve("slurm/array-1.sh"));
        Path abs = work.toAbsolutePath().normalize();
        assertTrue(script.contains("arena run-one --workdir '" + abs + "' --run"), script);
        assertTrue(script.contains("#SBATCH --output=" + abs.resolve("slurm/logs") + "/%A_%a.log"), script);
        assertTrue(script.contains("sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" '" + abs.resolve("slurm/runs-1.txt") + "'"),
                script);
        String call = fake.sbatchCalls().get(0);
        assertTrue(call.endsWith(" " + abs.resolve("slurm/array-1.sh")), call);
    }

    @Test
    void theJobScriptMakesRelativePathsAbsolute() {
        Path rel = Path.of("arena-work", "quick");
        String script = org.peftarena.arena.exec.slurm.SlurmJobScript.text(settings(), "peft-arena-quick", rel,
                rel.resolve("slurm/runs-1.txt"), rel.resolve("slurm/logs"), Map.of(), "java", "/opt/peft-arena.jar");
        Path abs = rel.toAbsolutePath().normalize();
        assertTrue(script.contains("--workdir '" + abs + "'"), script);
        assertTrue(script.contains("#SBATCH --output=" + abs.resolve("slurm/logs")), script);
        assertTrue(script.contains("'" + abs.resolve("slurm/runs-1.txt") + "'"), script);
        assertFalse(script.contains("'arena-work/"), script);
    }

    @Test
    void tasksOfACudaArenaAskForOneGpuUnlessTheSettingsNameTheirOwnGres() {
        Path rel = Path.of("arena-work", "quick");
        ExecutorSettings noGres = new ExecutorSettings("slurm", null, null, null, null, null, null, null, null,
                List.of(), Map.of(), "", "java", "/opt/peft-arena.jar", 0.05);
        java.util.function.BiFunction<ExecutorSettings, Boolean, String> script = (s, gpu) ->
                org.peftarena.arena.exec.slurm.SlurmJobScript.text(s, "peft-arena-quick", rel, rel.resolve("runs-1.txt"),
                        rel.resolve("logs"), Map.of(), "java", "/opt/peft-arena.jar", gpu);
        assertTrue(script.apply(noGres, true).contains("#SBATCH --gres=gpu:1\n"), script.apply(noGres, true));
        assertFalse(script.apply(noGres, false).contains("--gres"), "CPU tasks ask for no GPU");
        String own = script.apply(settings().withType("slurm"), true);
        assertTrue(own.contains("#SBATCH --gres=gpu:1\n") && own.split("--gres", -1).length == 2, own);
    }

    @Test
    void submitOnlyReturnsAtOnceAndCollectIngestsLater() throws Exception {
        Path work = tmp.resolve("work");
        ArenaOutcome out = start(work, new Recorder(), fake.commands(), true, Interruption.NEVER).get(60, TimeUnit.SECONDS);
        assertEquals(4, out.pending());
        assertEquals(1, fake.sbatchCalls().size());
        List<RunSpec> runs = PlanFile.read(work).runs();
        for (RunSpec s : runs.subList(0, 3)) {
            FakeSlurm.finish(work, s, 40);
        }
        ArenaCollector.Collected c = ArenaCollector.collect(work);
        assertEquals(3, c.finished());
        assertEquals(1, c.unfinished());
        FakeSlurm.finish(work, runs.get(3), 40);
        assertEquals(4, ArenaCollector.collect(work).finished());
        ArenaOutcome done = start(work, new Recorder(), fake.commands(), false, Interruption.NEVER).get(60, TimeUnit.SECONDS);
        assertEquals(4, done.skipped());
        assertEquals(1, fake.sbatchCalls().size(), "nothing left to submit");
    }

    @Test
    void missingOrFailingCommandsGiveClearErrorsAndLoseNothing() throws Exception {
        Path work = tmp.resolve("work");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        var missing = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> start(work, new Recorder(), SlurmCommands.in(empty), false, Interruption.NEVER).get());
        assertTrue(missing.getCause().getMessage().contains("'sbatch' was not found"), missing.getCause().getMessage());
        assertTrue(missing.getCause().getMessage().contains("slurm-client"), missing.getCause().getMessage());

        fake.fail("sbatch", "sbatch: error: invalid partition specified: gpu");
        var failing = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> start(work, new Recorder(), fake.commands(), false, Interruption.NEVER).get());
        assertTrue(failing.getCause().getMessage().contains("invalid partition specified"), failing.getCause().getMessage());
        assertFalse(Files.exists(work.resolve("slurm/jobs.tsv")), "no submission recorded");
        List<RunSpec> runs = PlanFile.read(work).runs();
        for (RunSpec s : runs) {
            assertEquals(RunStatus.PENDING, status(work, s.id()));
        }

        fake.heal("sbatch");
        fake.fail("squeue", "slurm_load_jobs error: Socket timed out on send/recv operation");
        Recorder rec = new Recorder();
        Future<ArenaOutcome> run = start(work, rec, fake.commands(), false, Interruption.NEVER);
        await("squeue failure shown", () -> rec.notices.stream().anyMatch(n -> n.contains("Socket timed out")));
        for (RunSpec s : runs) {
            FakeSlurm.finish(work, s, 30);
        }
        ArenaOutcome out = run.get(60, TimeUnit.SECONDS);
        assertEquals(4, out.executed(), "runs land through their manifests while squeue fails");
    }

    @Test
    void interruptCancelsTheArrayOrLeavesItRunningAndARerunWatchesInsteadOfResubmitting() throws Exception {
        Path work = tmp.resolve("work");
        AtomicBoolean cancel = new AtomicBoolean(true);
        Interruption afterSubmit = new Interruption() {
            @Override
            public boolean requested() {
                try {
                    return !fake.sbatchCalls().isEmpty();
                } catch (IOException e) {
                    return false;
                }
            }

            @Override
            public boolean cancelRemoteWork() {
                return cancel.get();
            }
        };
        fake.queue("100|0|RUNNING\n100|1|RUNNING\n100|2|PENDING\n100|3|PENDING\n");
        ArenaOutcome out = start(work, new Recorder(), fake.commands(), false, afterSubmit).get(60, TimeUnit.SECONDS);
        assertEquals(4, out.pending());
        String scancel = fake.file("scancel.log");
        for (int i = 0; i < 4; i++) {
            assertTrue(scancel.contains("100_" + i), scancel);
        }
        // the queue still lists the tasks (cancelling takes a moment): a rerun watches them, leaving on interrupt
        cancel.set(false);
        Recorder rec = new Recorder();
        ArenaOutcome left = start(work, rec, fake.commands(), false, afterSubmit).get(60, TimeUnit.SECONDS);
        assertEquals(4, left.pending());
        assertEquals(1, fake.sbatchCalls().size(), "tasks still queued are not submitted again");
        assertTrue(rec.notices.stream().anyMatch(n -> n.contains("still queued or running")), rec.notices.toString());
        assertEquals(scancel, fake.file("scancel.log"), "leave cancels nothing");
    }

    @SuppressWarnings("try") // the lock is held for its extent
    @Test
    void aSecondCoordinatorOnTheSameWorkdirRefuses() throws Exception {
        Path work = tmp.resolve("work");
        try (WorkdirLock held = WorkdirLock.acquire(work)) {
            var e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> start(work, new Recorder(), fake.commands(), false, Interruption.NEVER).get());
            assertTrue(e.getCause() instanceof ArenaBusyException, e.getCause().toString());
            assertThrows(ArenaBusyException.class, () -> ArenaCollector.collect(work));
        }
        assertTrue(fake.sbatchCalls().isEmpty());
    }
}
