package org.peftarena.arena.exec.slurm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One look at the queue: the array tasks of our jobs that are still queued or running, from
 * {@code squeue -h -r -u USER -o '%F|%K|%T'} (array job id, task index, state). Finished tasks are
 * not listed by default, so a task missing here has ended; whether it succeeded is its run's
 * manifest's to say, not the scheduler's.
 */
public final class SlurmQueue {
    /** State of a task waiting for resources. */
    public static final String PENDING = "PENDING";

    private final Map<SlurmLedger.Task, String> states;

    private SlurmQueue(Map<SlurmLedger.Task, String> states) {
        this.states = states;
    }

    /** The squeue arguments of a look at the queue. */
    public static List<String> args(String user) {
        return List.of("-h", "-r", "-u", user, "-o", "%F|%K|%T");
    }

    /** Parses squeue's output, keeping only the given jobs' array tasks. */
    public static SlurmQueue parse(String output, Set<String> jobs) {
        Map<SlurmLedger.Task, String> states = new HashMap<>();
        for (String line : output.split("\n", 0)) {
            String[] f = line.strip().split("\\|", 0);
            if (f.length == 3 && jobs.contains(f[0]) && f[1].matches("\\d+")) {
                states.put(new SlurmLedger.Task(f[0], Integer.parseInt(f[1])), f[2]);
            }
        }
        return new SlurmQueue(states);
    }

    /** The state of a task still in the queue, or null when it has ended. */
    public String state(SlurmLedger.Task task) {
        return states.get(task);
    }
}
