package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written atomically get the same permissions as any file the user creates (the umask), not 0600. */
class AtomicFilesPermissionsTest {
    @Test
    void atomicWritesFollowTheUmask(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> ordinary = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Path written = dir.resolve("atomic.json");
        AtomicFiles.write(written, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ordinary, Files.getPosixFilePermissions(written));
    }

    @Test
    void stagedOutputDirectoriesFollowTheUmask(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> ordinary = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain")));
        try (OutputDirectory out = OutputDirectory.prepare(dir.resolve("out"), false, java.util.List.of())) {
            out.commit();
        }
        assertEquals(ordinary, Files.getPosixFilePermissions(dir.resolve("out")));
    }
}
