package org.peftarena.cli;

/** Text pieces of progress lines: a bar and a compact duration. */
final class ProgressText {
    private ProgressText() {}

    /** A bar like {@code [=====>    ] 52%} of the given width. */
    static String bar(double fraction, int width) {
        double f = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(f * width);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            sb.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        return sb.append(String.format("] %3.0f%%", f * 100)).toString();
    }

    /** Scores rounded for people: {@code {de=36.18, en=12.5}} becomes {@code de 36.18, en 12.50}. */
    static String scores(java.util.Map<String, Double> scores) {
        StringBuilder sb = new StringBuilder();
        scores.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(v == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", v)));
        return sb.toString();
    }

    /** Seconds as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
