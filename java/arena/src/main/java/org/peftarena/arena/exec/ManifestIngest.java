package org.peftarena.arena.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.peftarena.arena.config.InterpolationSettings;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.ResultRows;
import org.peftarena.arena.run.PostHocArtifact;
import org.peftarena.arena.run.PostHocStage;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * The coordinator's side of a run unit: stores a manifest (result, scores, diagnostics record,
 * post-hoc rows) in the registry, the only process that writes it, in the order the local arena
 * stores the same things.
 */
public final class ManifestIngest {
    private ManifestIngest() {
    }

    /**
     * Ingests the run's manifest when it has one.
     *
     * @param interpolation the arena's post-hoc settings (recorded for the report)
     * @return the manifest ingested, or empty when the run has none (unfinished)
     * @throws IOException when its post-hoc file exists but cannot be read
     */
    public static Optional<RunManifest> ingest(RunRegistry registry, RunSpec spec, Path runDir,
                                               InterpolationSettings interpolation) throws IOException {
        Optional<RunManifest> m = RunManifest.read(runDir, spec.id());
        if (m.isEmpty()) {
            return m;
        }
        RunManifest manifest = m.get();
        if (!manifest.finished()) {
            registry.markFailed(spec.id(), manifest.error());
            return m;
        }
        registry.markFinished(manifest.result(), ResultRows.of(spec, manifest.result()));
        if (manifest.diagnostics() != null) {
            registry.putArtifact(manifest.diagnostics());
        }
        if (interpolation.enabled() && spec.kind() == RunKind.FINETUNE) {
            registry.putSetting(PostHocStage.SETTINGS, RunSpecJson.canonical(interpolation));
            PostHocArtifact postHoc = PostHocArtifact.read(runDir);
            if (postHoc != null && spec.id().equals(postHoc.runId())
                    && PostHocStage.key(interpolation).equals(postHoc.settingsKey())) {
                registry.replacePhases(spec.id(), PostHocArtifact.PHASE_PREFIX, postHoc.rows());
            }
        }
        return m;
    }
}
