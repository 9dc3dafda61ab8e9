package org.peftarena.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project folder the command line was built in (the one holding {@code models/} and
 * {@code pom.xml} above the jar or classes folder), so the shipped base model is found from any
 * working directory.
 */
final class InstallRoot {
    private InstallRoot() {
    }

    static Optional<Path> find() {
        try {
            Path p = Path.of(InstallRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p.toAbsolutePath(); d != null; d = d.getParent()) {
                if (Files.isDirectory(d.resolve("models")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                    return Optional.of(d);
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A path as given when it exists relative to the working directory, else relative to the install root. */
    static Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || Files.exists(p)) {
            return p.toAbsolutePath().normalize();
        }
        return find().map(root -> root.resolve(path)).filter(Files::exists).orElse(p.toAbsolutePath()).normalize();
    }
}
