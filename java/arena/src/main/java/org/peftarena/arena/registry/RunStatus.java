package org.peftarena.arena.registry;

import java.util.Locale;

/** Where a run stands in the registry. */
public enum RunStatus {
    /** Registered, not started (or reset after an interrupted attempt). */
    PENDING,
    /** An attempt is in progress (or was interrupted: reset to pending when the arena restarts). */
    RUNNING,
    /** Finished; its result is final and never recomputed. */
    FINISHED,
    /** The last attempt failed; the next arena run retries it. */
    FAILED,
    /** Scores imported from an external evaluator. */
    IMPORTED;

    /** Lower-case name stored in the database. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()}. */
    public static RunStatus parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Whether the run has scores a report can use. */
    public boolean hasScores() {
        return this == FINISHED || this == IMPORTED;
    }
}
