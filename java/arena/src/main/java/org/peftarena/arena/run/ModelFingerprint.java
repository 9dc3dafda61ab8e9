package org.peftarena.arena.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A content hash of a model or data folder, so a run's configuration hash changes when the files
 * it reads change: SHA-256 over each regular file's relative path and bytes, in path order. Files
 * larger than {@link #FULL_HASH_LIMIT} contribute their size and modification time instead (hashing
 * a multi-gigabyte checkpoint would dominate a run's start-up).
 */
public final class ModelFingerprint {
    /** Files up to this size are hashed byte for byte. */
    public static final long FULL_HASH_LIMIT = 256L << 20;

    private ModelFingerprint() {
    }

    /**
     * @param path a file or folder
     * @return hex SHA-256
     * @throws IOException when the path cannot be read
     */
    public static String of(Path path) throws IOException {
        MessageDigest md = sha256();
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
        } else {
            files = List.of(path);
        }
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            String rel = Files.isDirectory(path) ? path.relativize(f).toString() : f.getFileName().toString();
            md.update(rel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long size = Files.size(f);
            if (size > FULL_HASH_LIMIT) {
                md.update((size + ":" + Files.getLastModifiedTime(f).toMillis())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                while (in.read(buf) >= 0) {
                    // the digest stream consumes the bytes
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
