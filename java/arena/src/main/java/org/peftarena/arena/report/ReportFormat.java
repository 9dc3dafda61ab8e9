package org.peftarena.arena.report;

import java.util.Locale;

/** Number formatting shared by the text reports. */
final class ReportFormat {
    private ReportFormat() {
    }

    /** Two decimals, or {@code -} for null / NaN. */
    static String num(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Signed two decimals, or {@code -}. */
    static String signed(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%+.2f", v);
    }

    /** Thousands-separated integer. */
    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Seconds with one decimal. */
    static String seconds(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
