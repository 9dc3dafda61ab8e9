package org.peftarena.formats.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes a file so that readers see either the old content or the complete new one, never a partial file. */
public final class AtomicFiles {

    /** Writes the content of a file through an open channel. */
    @FunctionalInterface
    public interface ChannelWriter {
        /**
         * @param channel channel of the temporary file, positioned at 0
         * @throws IOException when writing fails
         */
        void write(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes to a temporary file in the target's directory, fsyncs it, renames it over the target
     * and fsyncs the directory. On failure the target is untouched and the temporary file removed.
     *
     * @param target final path
     * @param writer produces the content
     * @throws IOException when writing or renaming fails
     */
    public static void write(Path target, ChannelWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = freshTemp(dir, "." + abs.getFileName());
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * @param target final path
     * @param content bytes to write
     * @throws IOException when writing fails
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, ch -> {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    /** createTempFile forces mode 0600; createFile applies the user's umask like every other tool. */
    private static Path freshTemp(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename durable on Linux; some platforms refuse to open directories, which is harmless.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
