package org.peftarena.arena;

import java.util.LinkedHashMap;
import java.util.Map;
import org.peftarena.arena.config.ArenaConfigException;
import org.peftarena.arena.config.ExecutorSettings;
import org.peftarena.arena.exec.ArenaExecutor;
import org.peftarena.arena.exec.Interruption;
import org.peftarena.arena.exec.LocalExecutor;
import org.peftarena.arena.exec.slurm.SlurmCommands;
import org.peftarena.arena.exec.slurm.SlurmExecutor;

/** The executors by name; adding one is one registration here, never a switch elsewhere. */
public final class ArenaExecutors {
    /** Builds an executor from its config block and the front end's options. */
    @FunctionalInterface
    public interface Factory {
        /** @return the executor */
        ArenaExecutor create(ExecutorSettings settings, Options options);
    }

    /**
     * What the front end decides besides the config.
     *
     * @param submitOnly   submit remote work and return without waiting
     * @param interruption how Ctrl-C is noticed and answered
     */
    public record Options(boolean submitOnly, Interruption interruption) {
        /** Wait for everything, never interrupted. */
        public static final Options DEFAULT = new Options(false, Interruption.NEVER);
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(LocalExecutor.NAME, (s, o) -> new LocalExecutor());
        FACTORIES.put(SlurmExecutor.NAME, (s, o) -> new SlurmExecutor(s, SlurmCommands.onPath(), o.submitOnly(),
                o.interruption()));
    }

    private ArenaExecutors() {
    }

    /** The names known. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(FACTORIES.keySet());
    }

    /**
     * @throws ArenaConfigException when the settings name an unknown executor
     */
    public static ArenaExecutor create(ExecutorSettings settings, Options options) {
        Factory f = FACTORIES.get(settings.type());
        if (f == null) {
            throw new ArenaConfigException("unknown executor '" + settings.type() + "'; known: " + FACTORIES.keySet());
        }
        return f.create(settings, options);
    }
}
