package org.peftarena.arena.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.spec.RunSpec;

/** A finished registry can be read without writing anything next to it (read-only storage). */
class ReadOnlyRegistryTest {
    @TempDir
    Path tmp;

    private List<String> listing() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void readingCreatesNoFilesAndRefusesWrites() throws Exception {
        Path db = tmp.resolve("registry.sqlite");
        RunSpec base = SyntheticRuns.base("t");
        try (RunRegistry r = RunRegistry.open(db)) {
            r.register(base, tmp.resolve("runs"));
        }
        List<String> before = listing();
        long modified = Files.getLastModifiedTime(db).toMillis();
        try (RunRegistry r = RunRegistry.openReadOnly(db)) {
            assertEquals(1, r.all().size());
            assertEquals(before, listing(), "reading created files next to the registry");
            assertThrows(RuntimeException.class, () -> r.register(SyntheticRuns.base("u"), tmp.resolve("runs")));
        }
        assertEquals(before, listing());
        assertEquals(modified, Files.getLastModifiedTime(db).toMillis());
        assertThrows(RegistryException.class, () -> RunRegistry.openReadOnly(tmp.resolve("missing.sqlite")));
    }
}
