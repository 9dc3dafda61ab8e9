package org.peftarena.arena;

import java.nio.file.Path;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;

/** Loads a tiny random byte-level model for evaluation tests. */
public final class TinyModels {
    private TinyModels() {
    }

    /** Writes the tiny model into {@code dir/model} and loads it in float32. */
    public static LlamaModel load(Path dir, long seed) throws java.io.IOException {
        return HfModelDirectory.load(TinyArena.model(dir.resolve("model"), seed), ModelDType.FLOAT32);
    }

    /** Writes the tiny model into {@code dir} and returns the directory. */
    public static Path write(Path dir, long seed) throws java.io.IOException {
        return TinyArena.model(dir, seed);
    }
}
