package org.peftarena.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** SHA-256 of every file of a checkpoint directory, recorded when it is written and checked before it is read. */
public final class CheckpointDigests {
    private CheckpointDigests() {
    }

    /** File name to hex SHA-256 of every regular file directly inside {@code dir}, sorted by name. */
    public static Map<String, String> of(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(p.getFileName().toString(), sha256(p));
            }
        }
        return out;
    }

    /**
     * Checks that every recorded file exists with its recorded digest.
     *
     * @throws CheckpointException naming the first missing or changed file
     */
    public static void verify(Path dir, Map<String, String> expected) throws IOException {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (!Files.isRegularFile(p)) {
                throw new CheckpointException("checkpoint " + dir + " is incomplete: " + e.getKey() + " is missing");
            }
            String actual = sha256(p);
            if (!actual.equals(e.getValue())) {
                throw new CheckpointException("checkpoint " + dir + " is corrupt: " + e.getKey() + " has SHA-256 "
                        + actual + ", it was written with " + e.getValue());
            }
        }
    }

    private static String sha256(Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
