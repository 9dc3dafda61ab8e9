package org.peftarena.train;

/**
 * A process-wide request to stop training at the next step boundary (set by a termination signal).
 * Training checks it only between steps, so native memory of a running step is never freed under it.
 */
public final class StopRequest {
    private static volatile boolean requested;

    private StopRequest() {
    }

    /** Asks every training loop to stop after its current step. */
    public static void request() {
        requested = true;
    }

    /** Whether a stop was requested. */
    public static boolean requested() {
        return requested;
    }

    /** Withdraws the request (tests, and a process that keeps running after handling one). */
    public static void clear() {
        requested = false;
    }
}
