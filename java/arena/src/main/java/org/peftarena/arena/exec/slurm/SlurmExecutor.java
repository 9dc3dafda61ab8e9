package org.peftarena.arena.exec.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.config.ExecutorSettings;
import org.peftarena.arena.exec.ArenaExecutor;
import org.peftarena.arena.exec.ExecutionContext;
import org.peftarena.arena.exec.ExecutionSummary;
import org.peftarena.arena.exec.Interruption;
import org.peftarena.arena.exec.ManifestIngest;
import org.peftarena.arena.exec.RunManifest;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.spec.RunSpec;

/**
 * Executes an arena as one Slurm job array: the unfinished runs (those not queued or running in an
 * earlier array) are submitted with {@code sbatch --array=0-(N-1)%P}, each task running one run unit
 * ({@code arena run-one}); then the coordinator polls {@code squeue}, ingests each run's manifest as
 * it lands and reports a failed run with its log. The manifest decides success; a task that left
 * the queue without one failed (killed, out of time or memory). With {@code submitOnly} it returns
 * after submitting ({@code arena collect} ingests later).
 */
public final class SlurmExecutor implements ArenaExecutor {
    /** Name in configs and on the command line. */
    public static final String NAME = "slurm";
    /** Folder of the scripts, run lists, ledger and logs in the work directory. */
    public static final String DIR = "slurm";
    /** Polls a task may be missing from the queue without a manifest before it counts as failed. */
    static final int MISSING_POLLS = 2;
    /** Where a resubmitted run's failed manifest is kept. */
    public static final String PREVIOUS_MANIFEST = "manifest.previous.json";

    private final ExecutorSettings settings;
    private final SlurmCommands commands;
    private final boolean submitOnly;
    private final Interruption interruption;

    /**
     * @param settings     the executor block (resources, task environment)
     * @param commands     the Slurm commands
     * @param submitOnly   return once the array is submitted
     * @param interruption how Ctrl-C is noticed and answered
     */
    public SlurmExecutor(ExecutorSettings settings, SlurmCommands commands, boolean submitOnly,
                         Interruption interruption) {
        this.settings = settings;
        this.commands = commands;
        this.submitOnly = submitOnly;
        this.interruption = interruption;
    }

    @Override
    public boolean runsElsewhere() {
        return true;
    }

    @Override
    public ExecutionSummary execute(ExecutionContext ctx) throws IOException {
        Path dir = ctx.workdir().resolve(DIR);
        SlurmLedger ledger = SlurmLedger.open(dir);
        List<RunSpec> runs = ctx.plan().runs();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            index.put(runs.get(i).id(), i);
        }
        List<String> unfinished = new ArrayList<>();
        int skipped = 0;
        for (RunSpec s : runs) {
            if (ctx.registry().find(s.id()).orElseThrow().status() == RunStatus.FINISHED) {
                skipped++;
                ctx.listener().runSkipped(index.get(s.id()), s);
            } else {
                unfinished.add(s.id());
            }
        }
        if (unfinished.isEmpty()) {
            return new ExecutionSummary(0, skipped, 0, 0);
        }
        // runs still queued or running in an earlier array are watched, not submitted again
        Map<String, SlurmLedger.Task> latest = ledger.latestTasks();
        SlurmQueue queue = look(ledger);
        List<String> submit = new ArrayList<>();
        for (String id : unfinished) {
            SlurmLedger.Task t = latest.get(id);
            if (t == null || queue.state(t) == null) {
                submit.add(id);
            }
        }
        if (submit.size() < unfinished.size()) {
            ctx.listener().notice(String.format(Locale.ROOT, "%d run(s) are still queued or running in an earlier array; "
                    + "watching them", unfinished.size() - submit.size()));
        }
        if (!submit.isEmpty()) {
            for (String id : submit) {
                setAside(ctx.runDir(id));
            }
            String job = new SlurmSubmitter(settings, commands).submit(ctx, ledger, submit);
            for (String id : submit) {
                ctx.registry().markRunning(id);
            }
            ctx.listener().notice(String.format(Locale.ROOT, "submitted %d run(s) as Slurm job array %s (script %s, logs %s)",
                    submit.size(), job, dir.resolve("array-" + (ledger.next() - 1) + ".sh"),
                    dir.resolve(SlurmLedger.LOGS_DIR)));
        }
        if (submitOnly) {
            ctx.listener().notice("not waiting (--submit-only): 'peft-arena arena collect --workdir " + ctx.workdir()
                    + "' ingests the finished runs; 'squeue -u " + user() + "' shows the queue");
            return new ExecutionSummary(0, skipped, 0, unfinished.size());
        }
        return watch(ctx, ledger, unfinished, index, skipped);
    }

    /**
     * Moves a failed or corrupt manifest out of the way of a resubmitted run, so that the coordinator
     * does not take it for the new attempt's answer while the task waits in the queue.
     */
    private static void setAside(Path runDir) throws IOException {
        Path m = runDir.resolve(RunManifest.FILE);
        if (Files.exists(m)) {
            Files.move(m, runDir.resolve(PREVIOUS_MANIFEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private ExecutionSummary watch(ExecutionContext ctx, SlurmLedger ledger, List<String> watched,
                                   Map<String, Integer> index, int skipped) throws IOException {
        ArenaListener listener = ctx.listener();
        Map<String, SlurmLedger.Task> tasks = ledger.latestTasks();
        Set<String> open = new HashSet<>(watched);
        Map<String, Integer> missing = new LinkedHashMap<>();
        int done = 0;
        int failed = 0;
        String lastProgress = "";
        long sleepMillis = Math.max(50, Math.round(settings.pollSeconds() * 1000));
        while (!open.isEmpty()) {
            for (String id : watched) {
                if (!open.contains(id)) {
                    continue;
                }
                RunSpec spec = ctx.plan().runs().get(index.get(id));
                Optional<RunManifest> m = ManifestIngest.ingest(ctx.registry(), spec, ctx.runDir(id),
                        ctx.config().interpolation());
                if (m.isPresent()) {
                    open.remove(id);
                    if (m.get().finished()) {
                        done++;
                        listener.runFinished(index.get(id), spec, m.get().result());
                    } else {
                        failed++;
                        listener.runFailed(index.get(id), spec, new IOException(m.get().error() + "; log: "
                                + ledger.log(tasks.get(id))));
                    }
                }
            }
            if (open.isEmpty()) {
                break;
            }
            SlurmQueue queue;
            try {
                queue = look(ledger);
            } catch (SlurmException e) {
                listener.notice("squeue failed, trying again in " + settings.pollSeconds() + " s (finished runs are kept "
                        + "in their folders, nothing is lost): " + e.getMessage());
                queue = null;
            }
            int queued = 0;
            int running = 0;
            if (queue != null) {
                for (String id : watched) {
                    if (!open.contains(id)) {
                        continue;
                    }
                    String state = queue.state(tasks.get(id));
                    if (state == null) {
                        int polls = missing.merge(id, 1, Integer::sum);
                        if (polls > MISSING_POLLS && RunManifest.read(ctx.runDir(id), id).isEmpty()) {
                            open.remove(id);
                            failed++;
                            RunSpec spec = ctx.plan().runs().get(index.get(id));
                            Path log = ledger.log(tasks.get(id));
                            String message = "its task ended without a result (killed, cancelled, out of time or memory?); "
                                    + "log: " + log;
                            ctx.registry().markFailed(id, message);
                            listener.runFailed(index.get(id), spec, new IOException(message));
                        }
                    } else {
                        missing.remove(id);
                        if (SlurmQueue.PENDING.equals(state)) {
                            queued++;
                        } else {
                            running++;
                        }
                    }
                }
                String progress = queued + "/" + running + "/" + done + "/" + failed;
                if (!progress.equals(lastProgress)) {
                    listener.arrayProgress(queued, running, done, failed);
                    lastProgress = progress;
                }
            }
            if (open.isEmpty()) {
                break;
            }
            if (sleepInterruptibly(sleepMillis)) {
                boolean cancel = interruption.cancelRemoteWork();
                if (cancel) {
                    cancel(open, tasks);
                    listener.notice("cancelled the array task(s) of " + open.size() + " unfinished run(s); running the "
                            + "arena again resubmits them (training resumes from its last checkpoint)");
                } else {
                    listener.notice(open.size() + " run(s) left queued or running; 'peft-arena arena collect --workdir "
                            + ctx.workdir() + "' ingests them later");
                }
                return new ExecutionSummary(done, skipped, failed, open.size());
            }
        }
        listener.arrayProgress(0, 0, done, failed);
        return new ExecutionSummary(done, skipped, failed, 0);
    }

    /** Sleeps, watching for an interruption; true when one was requested. */
    private boolean sleepInterruptibly(long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (interruption.requested()) {
                return true;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return interruption.requested();
    }

    private void cancel(Set<String> open, Map<String, SlurmLedger.Task> tasks) throws SlurmException {
        Map<String, List<String>> byJob = new LinkedHashMap<>();
        for (String id : open) {
            SlurmLedger.Task t = tasks.get(id);
            byJob.computeIfAbsent(t.jobId(), k -> new ArrayList<>()).add(t.jobId() + "_" + t.index());
        }
        for (List<String> ids : byJob.values()) {
            commands.run("scancel", ids);
        }
    }

    private SlurmQueue look(SlurmLedger ledger) throws SlurmException {
        Set<String> jobs = new HashSet<>();
        ledger.submissions().forEach(s -> jobs.add(s.jobId()));
        if (jobs.isEmpty()) {
            return SlurmQueue.parse("", jobs);
        }
        return SlurmQueue.parse(commands.run("squeue", SlurmQueue.args(user())), jobs);
    }

    static String user() {
        return System.getProperty("user.name");
    }
}
