package org.peftarena.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.peftarena.arena.report.DiagnosticsSection;

/** Prints one line about an arena's geometry diagnostics, and one {@code error:} line when some failed. */
final class DiagnosticsSummary {
    private DiagnosticsSummary() {
    }

    /**
     * @param d   the report's diagnostics section, or null when there are none
     * @param out standard output
     * @param err standard error
     * @return whether some run's diagnostics failed
     */
    static boolean print(DiagnosticsSection d, PrintWriter out, PrintWriter err) {
        if (d == null) {
            return false;
        }
        out.printf(Locale.ROOT, "diagnostics: %d run(s) at %d module location(s), %.1f s per run (%.1f s in total)%n",
                d.runs().size(), d.modules().size(), d.meanSecondsPerRun(), d.totalSeconds());
        if (d.failures().isEmpty()) {
            return false;
        }
        DiagnosticsSection.Failure f = d.failures().get(0);
        err.printf(Locale.ROOT, "error: diagnostics failed for %d run(s), whose training and scores are kept; %s: %s%n",
                d.failures().size(), f.runId(), f.error());
        err.flush();
        return true;
    }
}
