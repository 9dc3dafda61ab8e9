package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpecJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peftarena.analysis.run.RunDiagnosticsResult;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;

/**
 * A run's geometry diagnostics as stored in its artifact folder: {@code diagnostics/diagnostics.json}
 * (this record: the summaries of every module, the settings hash, the wall time) and
 * {@code diagnostics/profiles.safetensors} (the per-module vectors: pretrained spectrum, retention,
 * deviation and adaptation profiles, float32). Both files are written atomically, vectors first.
 *
 * @param format       {@link #FORMAT}
 * @param runId        the run
 * @param configHash   hash of the diagnostics settings that produced it
 * @param seconds      wall time of the diagnostics phase
 * @param profilesFile vectors file relative to the run's artifact folder, or null when none were computed
 * @param diagnostics  per-module summaries
 */
public record DiagnosticsArtifact(String format, String runId, String configHash, double seconds, String profilesFile,
                                  RunDiagnosticsResult diagnostics) {
    /** Format tag of the JSON file. */
    public static final String FORMAT = "peft-arena-run-diagnostics-v1";
    /** The JSON file, relative to the run's artifact folder. */
    public static final String JSON_FILE = "diagnostics/diagnostics.json";
    /** The vectors file, relative to the run's artifact folder. */
    public static final String PROFILES_FILE = "diagnostics/profiles.safetensors";
    private static final List<String> FIELDS = List.of("s", "retention", "deviation", "adaptation");

    /**
     * The profiles of one module.
     *
     * @param module     module path
     * @param spectrum   pretrained singular values s, [k]
     * @param retention  {@code P_diag(i) = u_i^T W1 v_i}, [k]
     * @param deviation  {@code abs(P_diag(i) - s_i)}, [k]
     * @param adaptation {@code E(i) = norm2(dW v_i)}, [k]
     */
    public record ModuleProfile(String module, float[] spectrum, float[] retention, float[] deviation,
                                float[] adaptation) {
        float[] field(int i) {
            return switch (i) {
                case 0 -> spectrum;
                case 1 -> retention;
                case 2 -> deviation;
                default -> adaptation;
            };
        }
    }

    /**
     * Writes the vectors (when there are any) and then the JSON file.
     *
     * @param runDir   the run's artifact folder
     * @param profiles per-module vectors, may be empty
     */
    public void write(Path runDir, List<ModuleProfile> profiles) throws IOException {
        if (!profiles.isEmpty()) {
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", FORMAT).metadata("run_id", runId);
            for (ModuleProfile p : profiles) {
                for (int i = 0; i < FIELDS.size(); i++) {
                    float[] v = p.field(i);
                    w.addFloats(p.module() + "/" + FIELDS.get(i), new long[] {v.length}, v);
                }
            }
            w.write(runDir.resolve(PROFILES_FILE));
        }
        AtomicFiles.write(runDir.resolve(JSON_FILE), RunSpecJson.pretty(this).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param file the JSON file
     * @throws IOException when it cannot be read or is not a diagnostics artifact
     */
    public static DiagnosticsArtifact read(Path file) throws IOException {
        DiagnosticsArtifact a;
        try {
            a = RunSpecJson.read(Files.readString(file, StandardCharsets.UTF_8), DiagnosticsArtifact.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(a.format()) || a.diagnostics() == null) {
            throw new IOException(file + " is not a " + FORMAT + " file");
        }
        return a;
    }

    /**
     * @param file the vectors file
     * @return per-module vectors in the file's name order
     * @throws IOException when it cannot be read or a module lacks a vector
     */
    public static List<ModuleProfile> readProfiles(Path file) throws IOException {
        List<ModuleProfile> out = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            List<String> modules = f.names().stream().filter(n -> n.endsWith("/s"))
                    .map(n -> n.substring(0, n.length() - 2)).toList();
            for (String m : modules) {
                float[][] v = new float[FIELDS.size()][];
                for (int i = 0; i < v.length; i++) {
                    String name = m + "/" + FIELDS.get(i);
                    if (!f.names().contains(name)) {
                        throw new IOException(file + " has no tensor " + name);
                    }
                    v[i] = f.readFloats(name);
                }
                out.add(new ModuleProfile(m, v[0], v[1], v[2], v[3]));
            }
        }
        return out;
    }
}
