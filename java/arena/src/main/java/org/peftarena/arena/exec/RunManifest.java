package org.peftarena.arena.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.peftarena.arena.registry.ArtifactRecord;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.formats.io.AtomicFiles;

/**
 * {@code manifest.json}, the last file a run unit writes in its folder (atomically): whether the run
 * finished or failed, its result, its diagnostics record, timings and the files it produced. The
 * coordinator ingests it into the registry; a missing, partial or corrupt manifest means the run
 * is unfinished.
 *
 * @param format      file format version
 * @param runId       the run
 * @param status      {@link #FINISHED} or {@link #FAILED}
 * @param error       the failure's message, or null
 * @param result      the run's result (null when failed)
 * @param diagnostics the diagnostics record (null when off or not a finetuning run)
 * @param timings     wall times in seconds by phase ({@code run}, {@code diagnostics}, {@code posthoc}, {@code total})
 * @param artifacts   files in the run folder, relative to it, sorted
 * @param host        the machine that ran it
 * @param finishedAt  ISO-8601 UTC time the manifest was written
 */
public record RunManifest(int format, String runId, String status, String error, RunResult result,
                          ArtifactRecord diagnostics, java.util.Map<String, Double> timings, List<String> artifacts,
                          String host, String finishedAt) {
    /** File name in a run's folder. */
    public static final String FILE = "manifest.json";
    /** Current format. */
    public static final int FORMAT = 1;
    /** Status of a finished run. */
    public static final String FINISHED = "finished";
    /** Status of a failed run. */
    public static final String FAILED = "failed";

    /** Copies the collections. */
    public RunManifest {
        timings = timings == null ? java.util.Map.of() : new java.util.TreeMap<>(timings);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** Whether the run finished. */
    public boolean finished() {
        return FINISHED.equals(status);
    }

    /** Writes the manifest into a run folder (temporary file, fsync, rename). */
    public void write(Path runDir) throws IOException {
        AtomicFiles.write(runDir.resolve(FILE), RunSpecJson.pretty(this).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a run folder's manifest for a run.
     *
     * @return the manifest, or empty when it is missing, unreadable, corrupt, of another format or
     *         another run, or claims success without a result: the run is unfinished then
     */
    public static Optional<RunManifest> read(Path runDir, String runId) {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            RunManifest m = RunSpecJson.read(Files.readString(f, StandardCharsets.UTF_8), RunManifest.class);
            boolean valid = m.format() == FORMAT && runId.equals(m.runId())
                    && (m.finished() ? m.result() != null && runId.equals(m.result().runId()) : FAILED.equals(m.status()));
            return valid ? Optional.of(m) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
