package org.peftarena.arena.exec.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.arena.config.ExecutorSettings;

/**
 * The batch script of an arena's job array: resources as {@code #SBATCH} lines, the task
 * environment (thread counts fixed per task, so answers do not depend on the node), then array task
 * {@code i} runs line {@code i + 1} of the submission's run list with {@code arena run-one}.
 */
public final class SlurmJobScript {
    private SlurmJobScript() {
    }

    /**
     * @param settings the executor block
     * @param name     job name
     * @param workdir  the arena's work directory (made absolute here: a task's working directory is the
     *                 node's, which need not be where the arena was started)
     * @param runsFile the submission's run ids, one a line (array index = line - 1); made absolute too
     * @param logs     folder of the task logs ({@code <job>_<index>.log}); made absolute too
     * @param env      task environment (the settings' own entries override these)
     * @param java     java binary
     * @param jar      peft-arena jar
     */
    public static String text(ExecutorSettings settings, String name, Path workdir, Path runsFile, Path logs,
                              Map<String, String> env, String java, String jar) {
        return text(settings, name, workdir, runsFile, logs, env, java, jar, false);
    }

    /**
     * As {@link #text(ExecutorSettings, String, Path, Path, Path, Map, String, String)}, for runs on a GPU when
     * {@code gpu}: without a {@code gres} of the settings' own, each task then asks for one ({@code --gres=gpu:1}).
     */
    public static String text(ExecutorSettings settings, String name, Path workdir, Path runsFile, Path logs,
                              Map<String, String> env, String java, String jar, boolean gpu) {
        workdir = workdir.toAbsolutePath().normalize();
        runsFile = runsFile.toAbsolutePath().normalize();
        logs = logs.toAbsolutePath().normalize();
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/bash\n");
        sb.append("# peft-arena job array: task i runs line i+1 of ").append(runsFile.getFileName())
                .append(" (arena run-one); each run writes only its folder under runs/\n");
        sb.append("#SBATCH --job-name=").append(name).append('\n');
        sb.append("#SBATCH --output=").append(logs.resolve("%A_%a.log")).append('\n');
        for (String d : directives(settings, gpu)) {
            sb.append("#SBATCH ").append(d).append('\n');
        }
        sb.append("set -eu\n");
        Map<String, String> all = new TreeMap<>(env);
        all.putAll(settings.env());
        all.forEach((k, v) -> sb.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        sb.append("RUN=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" ").append(quote(runsFile.toString())).append(")\n");
        sb.append("if [ -z \"$RUN\" ]; then echo \"no run for array task $SLURM_ARRAY_TASK_ID in ")
                .append(runsFile).append("\" >&2; exit 2; fi\n");
        sb.append("echo \"peft-arena: array task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} runs $RUN on $(hostname)\"\n");
        sb.append("exec ").append(quote(java)).append(settings.javaOpts().isBlank() ? "" : " " + settings.javaOpts())
                .append(" -jar ").append(quote(jar)).append(" arena run-one --workdir ").append(quote(workdir.toString()))
                .append(" --run \"$RUN\"\n");
        return sb.toString();
    }

    /** The resource directives the settings ask for ({@code gpu}: one GPU per task unless they name a gres). */
    static List<String> directives(ExecutorSettings s, boolean gpu) {
        List<String> out = new ArrayList<>();
        add(out, "--partition", s.partition());
        add(out, "--time", s.time());
        add(out, "--cpus-per-task", s.cpusPerTask() == null ? null : s.cpusPerTask().toString());
        add(out, "--mem", s.mem());
        add(out, "--gres", gpu && (s.gres() == null || s.gres().isBlank()) ? "gpu:1" : s.gres());
        add(out, "--account", s.account());
        add(out, "--qos", s.qos());
        return out;
    }

    private static void add(List<String> out, String flag, String value) {
        if (value != null && !value.isBlank()) {
            out.add(flag + "=" + value);
        }
    }

    /** A single-quoted shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
