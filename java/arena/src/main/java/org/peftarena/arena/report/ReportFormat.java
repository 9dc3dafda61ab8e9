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

    /** A value with its standard error, {@code 40.79 ± 0.31}, or the value alone when the error is unknown. */
    static String withError(Double v, Double se, boolean signed) {
        String x = signed ? signed(v) : num(v);
        return se == null || se.isNaN() || v == null || v.isNaN() ? x : x + " ± " + num(se);
    }

    /** A learning rate as a plain decimal, or {@code -}. */
    static String rate(Double lr) {
        return lr == null ? "-" : org.peftarena.arena.spec.RunSpec.learningRateLabel(lr);
    }

    /** A budget deviation in percent with a warning mark above the limit, or {@code -}. */
    static String deviation(RunRow r) {
        Double d = r.budgetDeviationPercent();
        return d == null ? "-" : String.format(Locale.ROOT, "%+.1f%%", d) + (r.offBudget() ? " (!)" : "");
    }

    /** Thousands-separated integer. */
    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Thousands-separated integer, {@code -} when unknown. */
    static String count(Long v) {
        return v == null ? "-" : count(v.longValue());
    }

    /** A value in a table cell, {@code -} when unknown. */
    static String known(Object v) {
        return v == null ? "-" : v.toString();
    }

    /** Seconds with one decimal. */
    static String seconds(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
