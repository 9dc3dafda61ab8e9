package org.peftarena.arena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.arena.eval.TaskScore;
import org.peftarena.arena.exec.RunManifest;
import org.peftarena.arena.exec.RunUnit;
import org.peftarena.arena.exec.slurm.SlurmCommands;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;

/**
 * Fake {@code sbatch}, {@code squeue} and {@code scancel} scripts in a folder: sbatch records its
 * arguments and answers 100, 101, ...; squeue prints {@code queue.txt}; scancel records its
 * arguments; a {@code <command>.fail} file makes a command fail with its content as the message.
 */
final class FakeSlurm {
    final Path dir;
    final Path bin;

    FakeSlurm(Path dir) throws IOException {
        this.dir = dir;
        this.bin = dir.resolve("bin");
        Files.createDirectories(bin);
        script("sbatch", "n=$(cat \"$D/jobs\" 2>/dev/null || echo 100); echo $((n + 1)) > \"$D/jobs\"\n"
                + "echo \"$*\" >> \"$D/sbatch.log\"; echo \"$n;cluster\"");
        script("squeue", "echo \"$*\" >> \"$D/squeue.log\"; cat \"$D/queue.txt\" 2>/dev/null || true");
        script("scancel", "echo \"$*\" >> \"$D/scancel.log\"");
    }

    private void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\nD='" + dir + "'\n"
                + "if [ -f \"$D/" + name + ".fail\" ]; then cat \"$D/" + name + ".fail\" >&2; exit 1; fi\n" + body + "\n");
        p.toFile().setExecutable(true);
    }

    SlurmCommands commands() {
        return SlurmCommands.in(bin);
    }

    /** The lines sbatch was called with. */
    List<String> sbatchCalls() throws IOException {
        Path f = dir.resolve("sbatch.log");
        return Files.isRegularFile(f) ? Files.readAllLines(f) : List.of();
    }

    String file(String name) throws IOException {
        Path f = dir.resolve(name);
        return Files.isRegularFile(f) ? Files.readString(f) : "";
    }

    void queue(String text) throws IOException {
        Files.writeString(dir.resolve("queue.txt.tmp"), text);
        Files.move(dir.resolve("queue.txt.tmp"), dir.resolve("queue.txt"),
                java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    void fail(String command, String message) throws IOException {
        Files.writeString(dir.resolve(command + ".fail"), message);
    }

    void heal(String command) throws IOException {
        Files.deleteIfExists(dir.resolve(command + ".fail"));
    }

    /** Writes what a task writes at its end: a finished manifest with made-up scores. */
    static void finish(Path work, RunSpec spec, double score) throws IOException {
        Map<String, TaskScore> scores = new TreeMap<>();
        for (String t : spec.evaluationTasks()) {
            scores.put(t, new TaskScore(t, org.peftarena.arena.data.TaskKind.TEXT, score, null, 10, 1, 0.1));
        }
        RunResult r = new RunResult(spec.id(), scores, List.of(), List.of(), 0, 0, 0, 0, 0, "cpu", Map.of(), Map.of(),
                null);
        Path dir = RunUnit.runDir(work, spec.id());
        Files.createDirectories(dir);
        new RunManifest(RunManifest.FORMAT, spec.id(), RunManifest.FINISHED, null, r, null, Map.of("total", 1.0),
                new ArrayList<>(), "test", "now").write(dir);
    }

    static void failRun(Path work, RunSpec spec, String error) throws IOException {
        Path dir = RunUnit.runDir(work, spec.id());
        Files.createDirectories(dir);
        new RunManifest(RunManifest.FORMAT, spec.id(), RunManifest.FAILED, error, null, null, Map.of(), List.of(),
                "test", "now").write(dir);
    }

    static void corrupt(Path work, RunSpec spec) throws IOException {
        Path dir = RunUnit.runDir(work, spec.id());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunManifest.FILE), "{\"format\": 1, \"run_id\": \"" + spec.id() + "\", \"sta",
                StandardCharsets.UTF_8);
    }
}
