package org.peftarena.arena.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The tool's version and the commit it was built from, captured at build time
 * ({@code build.properties}); {@code "unknown"} when the build had no git checkout.
 *
 * @param version the tool's version
 * @param commit  the git commit id, or {@code "unknown"}
 */
public record BuildInfo(String version, String commit) {
    /** Value of what the build could not tell. */
    public static final String UNKNOWN = "unknown";

    private static final BuildInfo CURRENT = load();

    /** This build's. */
    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a missing or unreadable resource leaves both unknown
        }
        String commit = p.getProperty("commit", UNKNOWN).trim();
        return new BuildInfo(p.getProperty("version", UNKNOWN).trim(),
                commit.matches("[0-9a-f]{7,64}") ? commit : UNKNOWN);
    }
}
