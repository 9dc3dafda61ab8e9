package org.peftarena.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.peftarena.arena.exec.Interruption;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C while a coordinator watches remote work: once installed, SIGINT no longer ends the JVM but
 * is noticed by the executor, which then asks {@link #cancelRemoteWork} whether to cancel the work
 * ({@code --on-interrupt ask|cancel|leave}; asking needs a terminal, else the work is left running).
 */
final class InterruptSignal implements Interruption, AutoCloseable {
    /** Values of {@code --on-interrupt}. */
    static final List<String> ACTIONS = List.of("ask", "cancel", "leave");

    private final String action;
    private final PrintWriter err;
    private final AtomicBoolean requested = new AtomicBoolean();
    private SignalHandler previous;

    InterruptSignal(String action, PrintWriter err) {
        this.action = action;
        this.err = err;
    }

    /** Catches SIGINT until {@link #close}. */
    void install() {
        previous = Signal.handle(new Signal("INT"), sig -> requested.set(true));
    }

    @Override
    public boolean requested() {
        return requested.get();
    }

    @Override
    public boolean cancelRemoteWork() {
        if (action.equals("cancel")) {
            return true;
        }
        if (action.equals("leave") || System.console() == null) {
            return false;
        }
        err.print("\ninterrupted: cancel the job array (scancel)? [y/N] ");
        err.flush();
        String answer = System.console().readLine();
        return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(new Signal("INT"), previous);
        }
    }
}
