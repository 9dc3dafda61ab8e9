package org.peftarena.cli;

import java.util.List;

/**
 * How much the command line says: {@code -q/--quiet} (warnings and errors only, no progress bars),
 * the default (our INFO lines, libraries' warnings) or {@code -v/--verbose} (our DEBUG lines,
 * libraries' INFO). The SLF4J backend reads its levels when the first logger is made, so the
 * levels are set from the arguments before anything runs.
 */
final class Verbosity {
    /** System property with our packages' level. */
    static final String OWN_LEVEL = "org.slf4j.simpleLogger.log.org.peftarena";
    /** System property with the level of everything else. */
    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static volatile boolean quiet;

    private Verbosity() {
    }

    /** Sets the log levels from the command line's {@code -v}/{@code -q} (options after {@code --} do not count). */
    static void configure(String[] args) {
        boolean verbose = false;
        boolean q = false;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            verbose |= List.of("-v", "--verbose").contains(a);
            q |= List.of("-q", "--quiet").contains(a);
        }
        quiet = q && !verbose;
        if (verbose) {
            System.setProperty(OWN_LEVEL, "debug");
            System.setProperty(DEFAULT_LEVEL, "info");
        } else if (q) {
            System.setProperty(OWN_LEVEL, "warn");
            System.setProperty(DEFAULT_LEVEL, "warn");
        }
    }

    /** Whether {@code -q} was given: no progress bars or progress lines. */
    static boolean quiet() {
        return quiet;
    }
}
