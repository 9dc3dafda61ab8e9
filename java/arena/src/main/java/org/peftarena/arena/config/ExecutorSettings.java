package org.peftarena.arena.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code executor:} block of an arena config: where the runs execute. Not part of the arena's
 * identity (its results must not depend on where they were computed), so it is read next to the
 * config, not into it.
 *
 * @param type         {@code local} (default: one by one in this process) or {@code slurm} (a job array)
 * @param partition    Slurm partition ({@code --partition}), or null for the cluster's default
 * @param time         time limit per task ({@code --time}, e.g. {@code 04:00:00}), or null
 * @param cpusPerTask  cores per task ({@code --cpus-per-task}), or null
 * @param mem          memory per task ({@code --mem}, e.g. {@code 16G}), or null
 * @param gres         generic resources per task ({@code --gres}, e.g. {@code gpu:1}), or null
 * @param account      account to charge ({@code --account}), or null
 * @param qos          quality of service ({@code --qos}), or null
 * @param parallel     most tasks running at once (the array's {@code %P}), or null for no limit
 * @param extraArgs    further sbatch arguments, passed as given
 * @param env          environment of each task (thread counts: {@code OMP_NUM_THREADS},
 *                     {@code OPENBLAS_NUM_THREADS}; unset ones default to this process's settings)
 * @param javaOpts     JVM options of each task (default {@link #DEFAULT_JAVA_OPTS})
 * @param java         the java binary tasks run (default: this process's)
 * @param jar          the peft-arena jar tasks run (default: this process's)
 * @param pollSeconds  seconds between two looks at the queue (default 10)
 */
public record ExecutorSettings(String type, String partition, String time, Integer cpusPerTask, String mem,
                               String gres, String account, String qos, Integer parallel, List<String> extraArgs,
                               Map<String, String> env, String javaOpts, String java, String jar,
                               Double pollSeconds) {
    /** The default executor. */
    public static final String LOCAL = "local";
    /**
     * Default JVM options of a task, the same as the {@code peft-arena} launcher's: a fixed 32 MiB young generation
     * in the serial collector keeps a training run's resident size flat once the young generation has been filled
     * (a few hundred steps), whatever the machine's memory; a young generation sized by the machine (G1's, or a
     * default one) grew the resident size for thousands of steps.
     */
    public static final String DEFAULT_JAVA_OPTS = "-XX:+UseSerialGC -Xmn32m -Xmx8g";
    /** Default seconds between two polls of the queue. */
    public static final double DEFAULT_POLL_SECONDS = 10;

    /** The default: the local executor. */
    public static final ExecutorSettings DEFAULT = new ExecutorSettings(LOCAL, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);

    /** Fills defaults and validates. */
    public ExecutorSettings {
        type = type == null || type.isBlank() ? LOCAL : type;
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        env = env == null ? Map.of() : new TreeMap<>(env);
        javaOpts = javaOpts == null ? DEFAULT_JAVA_OPTS : javaOpts;
        pollSeconds = pollSeconds == null ? DEFAULT_POLL_SECONDS : pollSeconds;
        if (cpusPerTask != null && cpusPerTask < 1) {
            throw new ArenaConfigException("executor.cpus_per_task must be >= 1, got " + cpusPerTask);
        }
        if (parallel != null && parallel < 1) {
            throw new ArenaConfigException("executor.parallel must be >= 1, got " + parallel);
        }
        if (!(pollSeconds > 0)) {
            throw new ArenaConfigException("executor.poll_seconds must be > 0, got " + pollSeconds);
        }
        for (String k : env.keySet()) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ArenaConfigException("executor.env: '" + k + "' is not an environment variable name");
            }
        }
    }

    /** This block with another type (the command line's {@code --executor}). */
    public ExecutorSettings withType(String t) {
        return new ExecutorSettings(t, partition, time, cpusPerTask, mem, gres, account, qos, parallel, extraArgs, env,
                javaOpts, java, jar, pollSeconds);
    }

    /** This block with another poll interval. */
    public ExecutorSettings withPollSeconds(double seconds) {
        return new ExecutorSettings(type, partition, time, cpusPerTask, mem, gres, account, qos, parallel, extraArgs,
                env, javaOpts, java, jar, seconds);
    }
}
