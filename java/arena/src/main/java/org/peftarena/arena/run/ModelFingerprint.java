package org.peftarena.arena.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A content hash of a model or data folder, so a run's identity follows the files it reads and not
 * where they lie: SHA-256 over each regular file's path relative to the folder and its content, in
 * path order. Small files (config, tokenizer, data) are hashed byte for byte; a
 * {@code .safetensors} file contributes its header (every tensor's name, dtype, shape and offsets)
 * and {@value #SAMPLES} evenly spaced {@value #SAMPLE_BYTES}-byte samples of its data; any other file
 * larger than {@link #FULL_HASH_LIMIT} its size and the same samples. Nothing depends on a path
 * outside the folder or on modification times, so a copied or moved folder has the same fingerprint,
 * and fingerprinting a multi-gigabyte model reads well under a megabyte per weights file.
 */
public final class ModelFingerprint {
    /** Files up to this size (other than safetensors) are hashed byte for byte. */
    public static final long FULL_HASH_LIMIT = 64L << 20;
    /** Samples taken of a large file's data. */
    public static final int SAMPLES = 16;
    /** Bytes per sample. */
    public static final int SAMPLE_BYTES = 4096;

    private static final long MAX_SAFETENSORS_HEADER = 100L << 20;

    private ModelFingerprint() {
    }

    /**
     * @param path a file or folder
     * @return hex SHA-256
     * @throws IOException when the path cannot be read
     */
    public static String of(Path path) throws IOException {
        MessageDigest md = sha256();
        boolean dir = Files.isDirectory(path);
        List<Path> files = files(path);
        for (Path f : files) {
            String rel = dir ? path.relativize(f).toString().replace('\\', '/') : f.getFileName().toString();
            md.update(rel.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            long size = Files.size(f);
            if (f.getFileName().toString().endsWith(".safetensors") && size >= 8) {
                safetensors(f, size, md);
            } else if (size > FULL_HASH_LIMIT) {
                md.update(Long.toString(size).getBytes(StandardCharsets.UTF_8));
                samples(f, 0, size, md);
            } else {
                full(f, md);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void full(Path f, MessageDigest md) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
            while (in.read(buf) >= 0) {
                // the digest stream consumes the bytes
            }
        }
    }

    /** The header as stored, then samples of the data after it; a malformed file is hashed as a plain one. */
    private static void safetensors(Path f, long size, MessageDigest md) throws IOException {
        long n;
        ByteBuffer header = null;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            n = len.flip().getLong();
            if (n >= 0 && n <= MAX_SAFETENSORS_HEADER && 8 + n <= size) {
                header = ByteBuffer.allocate((int) n);
                readFully(ch, header, 8);
            }
        }
        md.update(Long.toString(size).getBytes(StandardCharsets.UTF_8));
        if (header == null) {
            samples(f, 0, size, md);
            return;
        }
        md.update(header.flip());
        samples(f, 8 + n, size, md);
    }

    /** {@link #SAMPLES} evenly spaced samples of {@code [from, to)} (all of it when that is short). */
    private static void samples(Path f, long from, long to, MessageDigest md) throws IOException {
        long span = to - from;
        if (span <= 0) {
            return;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            if (span <= (long) SAMPLES * SAMPLE_BYTES) {
                ByteBuffer all = ByteBuffer.allocate((int) span);
                readFully(ch, all, from);
                md.update(all.flip());
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(SAMPLE_BYTES);
            for (int i = 0; i < SAMPLES; i++) {
                long at = from + (span - SAMPLE_BYTES) * i / (SAMPLES - 1);
                b.clear();
                readFully(ch, b, at);
                md.update(b.flip());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new IOException("unexpected end of " + ch);
            }
            pos += r;
        }
    }

    /** The regular files a fingerprint reads: the file itself, or a folder's non-hidden files in path order. */
    static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
