package org.peftarena.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.peftarena.train.StopRequest;

/**
 * Handles SIGTERM (and Ctrl-C): the JVM's shutdown hook asks training to stop at the next step
 * boundary and then waits for the command to return, so that no native memory is freed while a
 * LibTorch step still uses it; the command writes its checkpoint, closes its registry, and the
 * process exits with {@link Main#EXIT_TERMINATED}.
 */
final class ShutdownCoordinator {
    /** How long the hook waits for the command to reach a step boundary and save. */
    static final long GRACE_SECONDS = 120;

    private static final CountDownLatch FINISHED = new CountDownLatch(1);
    private static volatile boolean terminating;

    private ShutdownCoordinator() {
    }

    /** Installs the hook (once, from {@link Main#main}). */
    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (FINISHED.getCount() == 0) {
                return; // an ordinary exit: the command is done
            }
            terminating = true;
            StopRequest.request();
            try {
                FINISHED.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.flush();
            System.out.flush();
            Runtime.getRuntime().halt(Main.EXIT_TERMINATED);
        }, "peft-arena-shutdown"));
    }

    /** Whether a termination signal arrived. */
    static boolean terminating() {
        return terminating;
    }

    /** Tells the hook that the command has returned and released everything. */
    static void finished() {
        FINISHED.countDown();
    }
}
