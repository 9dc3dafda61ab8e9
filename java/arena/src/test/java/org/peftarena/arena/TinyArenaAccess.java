package org.peftarena.arena;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.peftarena.arena.config.ArenaConfig;

/** Opens {@link TinyArena}'s fixtures to tests in other packages. */
public final class TinyArenaAccess {
    private TinyArenaAccess() {
    }

    /** See {@link TinyArena#config}. */
    public static ArenaConfig config(Path root, List<String> methods, int steps) throws IOException {
        return TinyArena.config(root, methods, steps);
    }
}
