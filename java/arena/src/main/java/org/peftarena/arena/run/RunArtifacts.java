package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.arena.spec.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.train.sft.SftCheckpoints;

/**
 * A run's artifact folder: {@code spec.json} (what ran), {@code result.json} (what came out), the
 * finetuned adapter or model under {@code model/} with its checkpoints. Every file is written
 * atomically (temporary file, fsync, rename).
 */
public final class RunArtifacts {
    /** File with the run spec. */
    public static final String SPEC_FILE = "spec.json";
    /** File with the run result. */
    public static final String RESULT_FILE = "result.json";
    /** Folder of the finetuned adapter or model. */
    public static final String MODEL_DIR = "model";

    private RunArtifacts() {
    }

    /** Empties (or creates) a run's folder before an attempt, removing what an interrupted attempt left. */
    public static void prepare(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
    }

    /**
     * Prepares a run's folder for an attempt that resumes where an interrupted one stopped: when the
     * folder holds this run's {@code spec.json} (same id), its training checkpoints are kept and
     * everything else is removed; otherwise the folder is emptied as by {@link #prepare}.
     *
     * @return whether checkpoints were kept to resume from
     */
    public static boolean prepareResume(Path dir, RunSpec spec) throws IOException {
        Path ckpts = dir.resolve(MODEL_DIR).resolve(SftCheckpoints.DIR);
        if (!sameRun(dir, spec) || !Files.isDirectory(ckpts)) {
            prepare(dir);
            return false;
        }
        boolean kept = false;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (p.equals(dir) || ckpts.startsWith(p)) {
                    continue; // the folder itself, model/ and model/checkpoints
                }
                Path inCkpts = p.startsWith(ckpts) ? ckpts.relativize(p) : null;
                if (inCkpts != null && inCkpts.getName(0).toString().startsWith("step-")) {
                    kept = true;
                    continue;
                }
                Files.delete(p);
            }
        }
        return kept;
    }

    private static boolean sameRun(Path dir, RunSpec spec) {
        Path f = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            return RunSpecJson.read(Files.readString(f, StandardCharsets.UTF_8), RunSpec.class).id().equals(spec.id());
        } catch (IOException | RuntimeException e) {
            return false; // unreadable: start over
        }
    }

    /** Writes {@code spec.json}. */
    public static void writeSpec(Path dir, RunSpec spec) throws IOException {
        AtomicFiles.write(dir.resolve(SPEC_FILE), RunSpecJson.pretty(spec).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code result.json}. */
    public static void writeResult(Path dir, RunResult result) throws IOException {
        AtomicFiles.write(dir.resolve(RESULT_FILE), RunSpecJson.pretty(result).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code result.json}. */
    public static RunResult readResult(Path dir) throws IOException {
        return RunSpecJson.read(Files.readString(dir.resolve(RESULT_FILE), StandardCharsets.UTF_8), RunResult.class);
    }
}
