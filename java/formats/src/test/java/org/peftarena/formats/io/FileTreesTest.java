package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deletesANestedTreeButNotItsSiblings() throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f.txt"), "x");
        Files.writeString(root.resolve("g.txt"), "y");
        Path sibling = Files.writeString(tmp.resolve("keep.txt"), "z");
        FileTrees.delete(root);
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(sibling));
    }

    @Test
    void aMissingPathIsNotAnError() throws IOException {
        FileTrees.delete(tmp.resolve("absent"));
        assertTrue(Files.isDirectory(tmp));
    }

    @Test
    void aLinkIsRemovedWithoutFollowingIt() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("f.txt"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        FileTrees.delete(link);
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(target.resolve("f.txt")));
    }
}
