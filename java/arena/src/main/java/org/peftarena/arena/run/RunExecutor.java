package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a run spec into a result and an artifact folder; implementations are interchangeable
 * (in-process, sharded job arrays, a remote engine) because a run shares nothing else.
 */
public interface RunExecutor {
    /**
     * Executes one run.
     *
     * @param spec        what to run
     * @param artifactDir an empty folder that receives the run's files
     * @param listener    progress
     * @return the result (its files are in {@code artifactDir})
     * @throws IOException when reading the model or writing artifacts fails
     */
    RunResult execute(RunSpec spec, Path artifactDir, RunListener listener) throws IOException;
}
