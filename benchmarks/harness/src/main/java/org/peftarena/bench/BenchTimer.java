package org.peftarena.bench;

import java.util.Arrays;

/** Times a task: warm-up runs, then {@code reps} measured runs; reports min and median in ms. */
public final class BenchTimer {
    /** Minimum and median wall time of the measured runs, in milliseconds. */
    public record Timing(double minMs, double medianMs, int reps) {}

    private BenchTimer() {}

    /** Runs {@code task} {@code warmup} times unmeasured, then {@code reps} times measured. */
    public static Timing time(Runnable task, int warmup, int reps) {
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        }
        for (int i = 0; i < warmup; i++) {
            task.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        double median = reps % 2 == 1 ? ms[reps / 2] : 0.5 * (ms[reps / 2 - 1] + ms[reps / 2]);
        return new Timing(ms[0], median, reps);
    }
}
