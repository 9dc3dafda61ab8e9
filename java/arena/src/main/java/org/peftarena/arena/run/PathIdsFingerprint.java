package org.peftarena.arena.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The content hash that registry schema 1 recorded for base models and data ({@code base_model_fingerprint}
 * and the {@code data} entries of its run specs), kept only so that a schema-1 work directory can be
 * matched to today's plan when it is migrated: SHA-256 over each regular file's path relative to the
 * folder and its bytes, in path order; files larger than {@link #FULL_HASH_LIMIT} contribute their
 * size and modification time instead. New runs use {@link ModelFingerprint}.
 */
public final class PathIdsFingerprint {
    /** Files up to this size were hashed byte for byte. */
    static final long FULL_HASH_LIMIT = 256L << 20;

    private PathIdsFingerprint() {
    }

    /**
     * @param path a file or folder
     * @return hex SHA-256, as schema 1 wrote it
     * @throws IOException when the path cannot be read
     */
    public static String of(Path path) throws IOException {
        MessageDigest md = ModelFingerprint.sha256();
        boolean dir = Files.isDirectory(path);
        List<Path> files = ModelFingerprint.files(path);
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            String rel = dir ? path.relativize(f).toString() : f.getFileName().toString();
            md.update(rel.getBytes(StandardCharsets.UTF_8));
            long size = Files.size(f);
            if (size > FULL_HASH_LIMIT) {
                md.update((size + ":" + Files.getLastModifiedTime(f).toMillis()).getBytes(StandardCharsets.UTF_8));
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
}
