package org.peftarena.arena.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.peftarena.train.data.DataSplit;

/**
 * The {@code code} target's text: the {@code .java} files of a Maven {@code sources} jar on the
 * classpath (Apache Commons CLI 1.9.0 by default), read as UTF-8, with the Apache license header
 * removed (identical boilerplate in every file would inflate next-byte accuracy), cut into chunks
 * of about {@link #CHUNK_CHARS} characters at blank lines, each chunk assigned to a
 * {@link DataSplit} by a hash of its file name and index.
 */
public final class JavaSourceCorpus {
    /** A file known to be in the default sources jar; its jar is the one read. */
    public static final String DEFAULT_MARKER = "org/apache/commons/cli/Option.java";
    /** Chunks end at the first blank line after this many characters. */
    public static final int CHUNK_CHARS = 1500;

    private static final String LICENSE_MARK = "Licensed to the Apache Software Foundation";

    private final NavigableMap<String, String> files;

    private JavaSourceCorpus(NavigableMap<String, String> files) {
        this.files = files;
    }

    /** The default corpus, from the jar holding {@link #DEFAULT_MARKER}. */
    public static JavaSourceCorpus load() {
        return fromJarOf(DEFAULT_MARKER);
    }

    /**
     * Reads every {@code .java} entry under the package directory of a marker resource.
     *
     * @param marker classpath resource of a {@code .java} file, e.g. {@code org/apache/commons/cli/Option.java}
     * @throws ArenaDataException when the marker is not on the classpath or the jar cannot be read
     */
    public static JavaSourceCorpus fromJarOf(String marker) {
        URL url = JavaSourceCorpus.class.getClassLoader().getResource(marker);
        if (url == null) {
            throw new ArenaDataException("classpath resource " + marker + " not found: the sources jar of the "
                    + "code target must be on the classpath");
        }
        String prefix = marker.substring(0, marker.lastIndexOf('/') + 1);
        TreeMap<String, String> files = new TreeMap<>();
        try {
            if ("jar".equals(url.getProtocol())) {
                JarURLConnection c = (JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry e = entries.nextElement();
                        if (!e.isDirectory() && e.getName().startsWith(prefix) && e.getName().endsWith(".java")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            } else {
                Path root = Path.of(url.toURI()).getParent();
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                        files.put(prefix + root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                    }
                }
            }
        } catch (IOException | URISyntaxException | UncheckedIOException e) {
            throw new ArenaDataException("cannot read Java sources next to " + url + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ArenaDataException("no .java files under " + prefix + " next to " + url);
        }
        return new JavaSourceCorpus(files);
    }

    /** Number of source files. */
    public int fileCount() {
        return files.size();
    }

    /** The chunks of one split, in file order. */
    public List<String> chunks(DataSplit split) {
        List<String> out = new ArrayList<>();
        files.forEach((name, text) -> {
            List<String> chunks = chunk(withoutLicense(text));
            for (int i = 0; i < chunks.size(); i++) {
                if (DataSplit.of(name + "#" + i) == split) {
                    out.add(chunks.get(i));
                }
            }
        });
        return out;
    }

    /** The text with a leading block comment removed when it is the Apache license header. */
    static String withoutLicense(String text) {
        String t = text.stripLeading();
        if (t.startsWith("/*")) {
            int end = t.indexOf("*/");
            if (end > 0 && t.substring(0, end).contains(LICENSE_MARK)) {
                return t.substring(end + 2).stripLeading();
            }
        }
        return t;
    }

    /** Cuts a text at the first blank line after every {@link #CHUNK_CHARS} characters. */
    static List<String> chunk(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() && cur.length() >= CHUNK_CHARS) {
                out.add(cur.toString().strip());
                cur.setLength(0);
                continue;
            }
            cur.append(line).append('\n');
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
