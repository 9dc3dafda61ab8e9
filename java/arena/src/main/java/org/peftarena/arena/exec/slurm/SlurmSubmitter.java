package org.peftarena.arena.exec.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.config.ExecutorSettings;
import org.peftarena.arena.exec.ExecutionContext;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.model.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits runs as one job array: the batch script ({@link SlurmJobScript}) and run list go to
 * {@code slurm/}, {@code sbatch --parsable --array=0-(N-1)%P} submits them, and the job id goes to
 * the ledger only once sbatch has answered with one.
 */
final class SlurmSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmSubmitter.class);

    private final ExecutorSettings settings;
    private final SlurmCommands commands;

    SlurmSubmitter(ExecutorSettings settings, SlurmCommands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    /** Writes the script and run list of a new array, submits it and records it in the ledger; returns its job id. */
    String submit(ExecutionContext ctx, SlurmLedger ledger, List<String> runIds) throws IOException {
        int n = ledger.next();
        Path dir = ledger.dir();
        Files.createDirectories(dir.resolve(SlurmLedger.LOGS_DIR));
        Path runsFile = ledger.writeRuns(n, runIds);
        Path script = dir.resolve("array-" + n + ".sh");
        String name = "peft-arena-" + ctx.config().name();
        AtomicFiles.write(script, SlurmJobScript.text(settings, name, ctx.workdir(), runsFile,
                dir.resolve(SlurmLedger.LOGS_DIR), taskEnv(), java(), jar(), ctx.config().device() != null).getBytes(StandardCharsets.UTF_8));
        script.toFile().setExecutable(true);
        List<String> args = new ArrayList<>();
        args.add("--parsable");
        args.add("--array=0-" + (runIds.size() - 1) + (settings.parallel() == null ? "" : "%" + settings.parallel()));
        args.addAll(settings.extraArgs());
        args.add(script.toString());
        String out = commands.run("sbatch", args).strip();
        String job = out.split(";", 0)[0].strip();
        if (!job.matches("\\d+")) {
            throw new SlurmException("sbatch answered '" + out + "' instead of a job id; nothing was recorded "
                    + "(check 'squeue -u " + SlurmExecutor.user() + "' before running the arena again)");
        }
        ledger.record(job, runsFile, runIds);
        LOG.info("submitted {} run(s) as job array {}", runIds.size(), job);
        return job;
    }

    /** The task environment: this process's thread counts, so every task computes like a local run. */
    private static Map<String, String> taskEnv() {
        Threads.Settings t = Threads.defaults();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Threads.INTRA_OP_ENV, Integer.toString(t.intraOp()));
        env.put(Threads.BLAS_ENV, Integer.toString(t.blas()));
        return env;
    }

    private String java() {
        return settings.java() != null ? settings.java()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String jar() throws SlurmException {
        if (settings.jar() != null) {
            return settings.jar();
        }
        try {
            Path p = Path.of(SlurmExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                return p.toString();
            }
        } catch (Exception e) {
            LOG.debug("cannot locate the running jar", e);
        }
        throw new SlurmException("cannot tell which peft-arena jar the tasks should run; set executor.jar in the config");
    }

}
