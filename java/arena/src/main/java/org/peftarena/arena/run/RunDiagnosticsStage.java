package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.analysis.run.DiagnosticsOptions;
import org.peftarena.analysis.run.RunDiagnostics;
import org.peftarena.analysis.run.RunDiagnosticsResult;
import org.peftarena.arena.config.DiagnosticsSettings;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.registry.ArtifactRecord;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.model.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The diagnostics phase of an arena run, after its training and scores are stored: computes the
 * run's geometry diagnostics ({@link RunDiagnostics}) against the base model, writes them as a
 * {@link DiagnosticsArtifact} and records the artifact, its settings hash and its wall time in the
 * registry. Base-model SVDs are cached in the work directory and shared by every run. A run whose
 * diagnostics exist for the same settings is skipped; a failure is recorded with its message and
 * never touches the run's training, scores or status.
 */
public final class RunDiagnosticsStage {
    /** Artifact kind in the registry. */
    public static final String KIND = "diagnostics";
    /** Cache of base-model SVDs, relative to the work directory. */
    public static final String SPECTRUM_CACHE = "cache/base-spectra";

    private static final Logger LOG = LoggerFactory.getLogger(RunDiagnosticsStage.class);

    /** What {@link #ensure} did. */
    public enum Outcome {
        /** Diagnostics are off, or the run is not a finished finetuning run. */
        NOT_APPLICABLE,
        /** They existed already for the same settings. */
        EXISTING,
        /** They were computed and stored. */
        COMPUTED,
        /** They failed; the failure is recorded. */
        FAILED
    }

    private final DiagnosticsSettings settings;
    private final TaskCatalog catalog;
    private final Path spectrumCache;

    /**
     * @param settings the arena's diagnostics block
     * @param catalog  the tasks the prompt sets come from
     * @param workdir  the arena's work directory
     */
    public RunDiagnosticsStage(DiagnosticsSettings settings, TaskCatalog catalog, Path workdir) {
        this.settings = settings;
        this.catalog = catalog;
        this.spectrumCache = workdir.resolve(SPECTRUM_CACHE);
    }

    /**
     * Makes sure a run has its diagnostics. Never throws: failures are logged and recorded.
     *
     * @param spec     the run
     * @param registry the registry holding it
     * @param phase    told when the computation starts
     * @return what happened
     */
    public Outcome ensure(RunSpec spec, RunRegistry registry, Consumer<String> phase) {
        if (!settings.enabled() || spec.kind() != RunKind.FINETUNE) {
            return Outcome.NOT_APPLICABLE;
        }
        try {
            return ensureOrFail(spec, registry, phase);
        } catch (RuntimeException e) { // e.g. the registry cannot be read: the run itself stays as it is
            LOG.warn("diagnostics of run {} skipped: {}", spec.id(), e.getMessage(), e);
            return Outcome.FAILED;
        }
    }

    private Outcome ensureOrFail(RunSpec spec, RunRegistry registry, Consumer<String> phase) {
        RunRecord run = registry.find(spec.id()).orElse(null);
        if (run == null || run.status() != RunStatus.FINISHED || run.artifactDir() == null) {
            return Outcome.NOT_APPLICABLE;
        }
        Path runDir = Path.of(run.artifactDir());
        String hash = settings.configHash();
        if (registry.artifacts(KIND, spec.id()).stream().anyMatch(a -> a.finished() && hash.equals(a.configHash())
                && Files.isRegularFile(runDir.resolve(a.path())))) {
            return Outcome.EXISTING;
        }
        ArtifactRecord record = computeInFolder(spec, runDir, run.modelPath(), phase);
        try {
            registry.putArtifact(record);
        } catch (RuntimeException r) {
            if (record.finished()) {
                throw r;
            }
            LOG.warn("cannot record the failed diagnostics of {}: {}", spec.id(), r.getMessage());
        }
        return record.finished() ? Outcome.COMPUTED : Outcome.FAILED;
    }

    /**
     * Computes a finished finetuning run's diagnostics into its folder, without a registry. Never
     * throws: a failure comes back as a failed record with its message.
     *
     * @param runDir    the run's artifact folder
     * @param modelPath the finetuned model folder relative to it, or null for {@code model}
     * @return the record to store, or null when diagnostics are off or the run is not a finetuning run
     */
    public ArtifactRecord computeInFolder(RunSpec spec, Path runDir, String modelPath, Consumer<String> phase) {
        if (!settings.enabled() || spec.kind() != RunKind.FINETUNE) {
            return null;
        }
        String hash = settings.configHash();
        phase.accept("diagnostics");
        long start = System.nanoTime();
        try {
            DiagnosticsArtifact artifact = compute(spec, modelPath, runDir, hash, start);
            LOG.info("diagnostics of {}: {} module(s) in {} s", spec.id(), artifact.diagnostics().modules().size(),
                    String.format(Locale.ROOT, "%.2f", artifact.seconds()));
            return new ArtifactRecord(spec.id(), KIND, ArtifactRecord.FINISHED, DiagnosticsArtifact.JSON_FILE, hash,
                    artifact.seconds(), null, Instant.now().toString());
        } catch (IOException | RuntimeException e) {
            double seconds = seconds(start);
            String message = "diagnostics of run " + spec.id() + " failed (its training and scores are kept): "
                    + e.getMessage();
            if (e instanceof IllegalArgumentException) {
                LOG.warn(message); // bad settings or inputs: the message says it all
            } else {
                LOG.warn(message, e);
            }
            return new ArtifactRecord(spec.id(), KIND, ArtifactRecord.FAILED, null, hash, seconds, e.getMessage(),
                    Instant.now().toString());
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private DiagnosticsArtifact compute(RunSpec spec, String modelPath, Path runDir, String hash, long start)
            throws IOException {
        Path tuned = runDir.resolve(modelPath != null ? modelPath : RunArtifacts.MODEL_DIR);
        if (!Files.isDirectory(tuned)) {
            throw new IOException("the finetuned model folder " + tuned + " is missing");
        }
        DiagnosticsOptions options = settings.options(spec.method(),
                DiagnosticPrompts.general(catalog, spec, settings.prompts()),
                DiagnosticPrompts.target(catalog, spec, settings.prompts()), spectrumCache);
        List<DiagnosticsArtifact.ModuleProfile> profiles = new ArrayList<>();
        RunDiagnosticsResult result;
        Threads.Settings training = Threads.current();
        Threads.configure(new Threads.Settings(training.intraOp(), settings.blasThreads()));
        try (PointerScope scope = new PointerScope()) {
            result = RunDiagnostics.compute(Path.of(spec.baseModel()), tuned, options, (module, s, d) ->
                    profiles.add(new DiagnosticsArtifact.ModuleProfile(module, floats(s), floats(d.retention()),
                            floats(d.deviation()), floats(d.adaptation()))));
        } finally {
            Threads.configure(training);
        }
        DiagnosticsArtifact artifact = new DiagnosticsArtifact(DiagnosticsArtifact.FORMAT, spec.id(), hash,
                seconds(start), profiles.isEmpty() ? null : DiagnosticsArtifact.PROFILES_FILE, result);
        artifact.write(runDir, profiles);
        return artifact;
    }

    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
