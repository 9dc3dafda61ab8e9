package org.peftarena.arena.exec.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.formats.io.AtomicFiles;

/**
 * The submissions of an arena, kept in {@code slurm/}: {@code jobs.tsv} (job id, run list file, a
 * line per submission) and the run list of each ({@code runs-<n>.txt}, array index = line - 1), so
 * a later coordinator (or {@code arena collect}) knows which task ran which run and where its log is.
 */
public final class SlurmLedger {
    /** File of the submissions. */
    public static final String JOBS_FILE = "jobs.tsv";
    /** Folder of the task logs. */
    public static final String LOGS_DIR = "logs";

    /** One submitted array. */
    public record Submission(String jobId, List<String> runs) {
        /** Copies the list. */
        public Submission {
            runs = List.copyOf(runs);
        }
    }

    /** Where a run's latest task is: its job, its array index. */
    public record Task(String jobId, int index) {
    }

    private final Path dir;
    private final List<Submission> submissions = new ArrayList<>();

    private SlurmLedger(Path dir) {
        this.dir = dir;
    }

    /** Reads the ledger of {@code dir} (empty when there is none). */
    public static SlurmLedger open(Path dir) throws IOException {
        SlurmLedger l = new SlurmLedger(dir);
        Path jobs = dir.resolve(JOBS_FILE);
        if (Files.isRegularFile(jobs)) {
            for (String line : Files.readAllLines(jobs, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 0);
                if (f.length == 2 && Files.isRegularFile(dir.resolve(f[1]))) {
                    l.submissions.add(new Submission(f[0], Files.readAllLines(dir.resolve(f[1]), StandardCharsets.UTF_8)
                            .stream().filter(s -> !s.isBlank()).toList()));
                }
            }
        }
        return l;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** Every submission, oldest first. */
    public List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    /** The number the next submission's files get. */
    public int next() {
        return submissions.size() + 1;
    }

    /** Writes a new submission's run list; returns its file. */
    public Path writeRuns(int number, List<String> runs) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("runs-" + number + ".txt");
        AtomicFiles.write(f, (String.join("\n", runs) + "\n").getBytes(StandardCharsets.UTF_8));
        return f;
    }

    /** Records a submitted array (appending one line, rewritten atomically). */
    public void record(String jobId, Path runsFile, List<String> runs) throws IOException {
        submissions.add(new Submission(jobId, runs));
        StringBuilder sb = new StringBuilder();
        Path jobs = dir.resolve(JOBS_FILE);
        if (Files.isRegularFile(jobs)) {
            sb.append(Files.readString(jobs, StandardCharsets.UTF_8));
        }
        sb.append(jobId).append('\t').append(runsFile.getFileName()).append('\n');
        AtomicFiles.write(jobs, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The latest task of every run ever submitted. */
    public Map<String, Task> latestTasks() {
        Map<String, Task> out = new LinkedHashMap<>();
        for (Submission s : submissions) {
            for (int i = 0; i < s.runs().size(); i++) {
                out.put(s.runs().get(i), new Task(s.jobId(), i));
            }
        }
        return out;
    }

    /** The log file of a task. */
    public Path log(Task t) {
        return dir.resolve(LOGS_DIR).resolve(t.jobId() + "_" + t.index() + ".log");
    }
}
