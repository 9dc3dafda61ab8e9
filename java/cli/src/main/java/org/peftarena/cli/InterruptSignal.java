package org.peftarena.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.peftarena.arena.exec.Interruption;

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
    /** The JDK's signal API (module jdk.unsupported), reached reflectively so the build stays free of internal-API use. */
    private static final String SIGNAL = "sun.misc.Signal";
    private static final String HANDLER = "sun.misc.SignalHandler";

    private Object previous;

    InterruptSignal(String action, PrintWriter err) {
        this.action = action;
        this.err = err;
    }

    /** Catches SIGINT until {@link #close}. */
    void install() {
        try {
            Class<?> handlerType = Class.forName(HANDLER);
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            requested.set(true);
                            return null;
                        }
                        return method.getName().equals("toString") ? "peft-arena SIGINT handler" : null;
                    });
            previous = handle(handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot catch SIGINT on this JVM: " + e, e);
        }
    }

    private static Object handle(Object handler) throws ReflectiveOperationException {
        Class<?> signalType = Class.forName(SIGNAL);
        Object intSignal = signalType.getConstructor(String.class).newInstance("INT");
        Method handle = signalType.getMethod("handle", signalType, Class.forName(HANDLER));
        return handle.invoke(null, intSignal, handler);
    }

    @Override
    public boolean requested() {
        return requested.get();
    }

    @Override
    @SuppressWarnings("SystemConsoleNull") // on Java 17, console() is null when there is no terminal
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
            try {
                handle(previous);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot restore the SIGINT handler: " + e, e);
            }
        }
    }
}
