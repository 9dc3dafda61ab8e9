package org.peftarena.arena;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;

/**
 * Runs an arena from a config file in a separate JVM, printing {@code TRAINING <run id>} when a
 * run is mid-training and {@code FINISHED <run id>} after every stored run, so a test can kill it mid-way: {@code TinyArenaMain <config.json> <workdir>}.
 */
public final class TinyArenaMain {
    private TinyArenaMain() {
    }

    /** @param args config file and work directory */
    public static void main(String[] args) throws Exception {
        ArenaConfig config = ArenaConfigLoader.load("quick", Path.of(args[0]), Map.of());
        PrintStream out = System.out;
        new ArenaRunner(config, Path.of(args[1]), new ArenaListener() {
            @Override
            public void runStep(int index, RunSpec spec, org.peftarena.train.TrainingProgress progress) {
                if (progress.step() == 2) {
                    out.println("TRAINING " + spec.id());
                    out.flush();
                }
            }

            @Override
            public void runFinished(int index, RunSpec spec, RunResult result) {
                out.println("FINISHED " + spec.id());
                out.flush();
            }
        }).run();
        out.println("ARENA DONE");
        out.flush();
    }
}
