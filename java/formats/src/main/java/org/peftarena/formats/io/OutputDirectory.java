package org.peftarena.formats.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The output directory of one command. It refuses an empty name, a path that is a file, a path that
 * equals or contains an input, and a non-empty directory unless overwriting was asked for. Results go
 * to a fresh staging directory next to the target and replace it by rename only once complete
 * ({@link #commit}); closing an uncommitted output removes the staging directory, so a failed command
 * leaves neither a partial result nor stale files of an earlier one.
 */
public final class OutputDirectory implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private boolean committed;

    private OutputDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Checks the target and creates the staging directory (with the user's umask).
     *
     * @param out the directory the user named
     * @param overwrite whether a non-empty directory may be replaced
     * @param inputs files and directories the command reads (null entries are skipped)
     * @return the prepared output; write into {@link #staging()}, then {@link #commit()}
     * @throws OutputDirectoryException when the target cannot or may not be used
     * @throws IOException when the staging directory cannot be created
     */
    public static OutputDirectory prepare(Path out, boolean overwrite, List<Path> inputs) throws IOException {
        Path target = check(out, overwrite, inputs);
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new OutputDirectoryException("cannot create " + parent + " for the output " + out + ": " + reason(e));
        }
        Path staging = fresh(parent, "." + target.getFileName() + ".tmp-");
        return new OutputDirectory(target, staging);
    }

    /**
     * The checks of {@link #prepare} without staging, for outputs that are written in place (a training
     * run that must stay resumable after a crash).
     *
     * @return the target as an absolute, normalised path
     * @throws OutputDirectoryException when the target cannot or may not be used
     */
    public static Path check(Path out, boolean overwrite, List<Path> inputs) throws IOException {
        if (out == null || out.toString().isBlank()) {
            throw new OutputDirectoryException("the output directory is an empty name");
        }
        Path target = resolved(out);
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new OutputDirectoryException(out + " exists and is not a directory");
        }
        for (Path in : inputs) {
            if (in == null) {
                continue;
            }
            Path input = resolved(in);
            if (input.equals(target) || input.startsWith(target)) {
                throw new OutputDirectoryException("the output " + out + (input.equals(target) ? " is" : " contains")
                        + " the input " + in + "; writing there would destroy it");
            }
        }
        if (!overwrite && !isEmptyOrAbsent(target)) {
            throw new OutputDirectoryException(out + " is not empty; pass --overwrite to replace it");
        }
        return target;
    }

    /**
     * Makes sure a directory written in place exists and accepts files, before any work starts.
     *
     * @throws OutputDirectoryException when it cannot be created or written
     */
    public static void requireWritable(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            Path probe = fresh(dir, ".write-probe-");
            Files.delete(probe);
        } catch (OutputDirectoryException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputDirectoryException("cannot write to " + dir + ": " + reason(e));
        }
    }

    /** Whether a directory is absent or holds nothing. */
    public static boolean isEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** Where the command writes its results. */
    public Path staging() {
        return staging;
    }

    /** The directory the results end up in. */
    public Path target() {
        return target;
    }

    /**
     * Replaces the target by the staging directory: the old target is renamed aside, the staging
     * directory renamed into place, then the old one deleted.
     *
     * @throws IOException when a rename fails (the old target is then put back)
     */
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        Path parent = target.getParent();
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = parent.resolve("." + target.getFileName() + ".old-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            move(target, old);
        }
        try {
            move(staging, target);
        } catch (IOException e) {
            if (old != null) {
                move(old, target);
            }
            throw e;
        }
        committed = true;
        syncDirectory(parent);
        if (old != null) {
            FileTrees.delete(old);
        }
    }

    /** Removes the staging directory unless the output was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            FileTrees.delete(staging);
        }
    }

    private static Path fresh(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = parent.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
            try {
                // createDirectory, unlike createTempDirectory, applies the umask instead of forcing 0700
                return prefix.startsWith(".write-probe") ? Files.createFile(p) : Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw new OutputDirectoryException("cannot write to " + parent + ": " + reason(e));
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Absolute, normalised, with symbolic links of the existing part resolved. */
    private static Path resolved(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }

    private static String reason(IOException e) {
        String kind = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")";
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: some platforms refuse to open directories
        }
    }
}
