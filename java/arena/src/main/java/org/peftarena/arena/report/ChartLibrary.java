package org.peftarena.arena.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The Chart.js library from its Maven Central webjar ({@code org.webjars.npm:chart.js}), read from
 * the classpath so reports inline it and open offline.
 */
public final class ChartLibrary {
    private static final String POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private ChartLibrary() {
    }

    /** The webjar's version, e.g. {@code 4.4.7}. */
    public static String version() {
        try (InputStream in = resource(POM)) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new ReportException("cannot read " + POM + ": " + e.getMessage(), e);
        }
    }

    /** The UMD build of Chart.js (defines the global {@code Chart}). */
    public static String script() {
        String path = "META-INF/resources/webjars/chart.js/" + version() + "/dist/chart.umd.js";
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new ReportException("classpath resource " + path + " not found: org.webjars.npm:chart.js must be "
                    + "on the classpath");
        }
        return in;
    }
}
