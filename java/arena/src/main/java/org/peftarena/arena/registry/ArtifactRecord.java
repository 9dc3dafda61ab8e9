package org.peftarena.arena.registry;

/**
 * A derived artifact of a run stored in the registry (for example its geometry diagnostics): what
 * kind, where its file lies, under which settings it was made, how long it took, and whether it
 * succeeded. At most one per run and kind.
 *
 * @param runId      the run
 * @param kind       artifact kind, e.g. {@code diagnostics}
 * @param status     {@link #FINISHED} or {@link #FAILED}
 * @param path       main file relative to the run's artifact folder, or null when failed
 * @param configHash hash of the settings that produced it
 * @param seconds    wall time of the phase that produced it
 * @param error      message of the failure, or null
 * @param createdAt  ISO-8601 UTC time it was recorded
 */
public record ArtifactRecord(String runId, String kind, String status, String path, String configHash,
                             double seconds, String error, String createdAt) {
    /** Status of an artifact that was written. */
    public static final String FINISHED = "finished";
    /** Status of an artifact whose computation failed. */
    public static final String FAILED = "failed";

    /** Whether the artifact was written. */
    public boolean finished() {
        return FINISHED.equals(status);
    }
}
