package org.peftarena.arena;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an arena's work directory (an OS file lock on {@code .lock}, released by the
 * OS when the process dies, even by {@code kill -9}), so two arenas never run the same runs at once.
 */
public final class WorkdirLock implements AutoCloseable {
    /** Name of the lock file. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkdirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws ArenaBusyException when another process holds the lock
     * @throws IOException        when the lock file cannot be created
     */
    public static WorkdirLock acquire(Path workdir) throws IOException {
        Files.createDirectories(workdir);
        FileChannel ch = FileChannel.open(workdir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new ArenaBusyException("another arena is running in " + workdir + " (it holds " + FILE + ")");
        }
        return new WorkdirLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
