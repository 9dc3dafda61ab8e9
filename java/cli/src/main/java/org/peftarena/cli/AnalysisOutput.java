package org.peftarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftarena.formats.io.AtomicFiles;

/** Prints diagnostics as an aligned table and writes the full JSON report atomically. */
final class AnalysisOutput {
    private AnalysisOutput() {}

    static void writeJson(Path file, Object report) throws IOException {
        AtomicFiles.write(file, (Json.object(report) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param rows one map per row, all with the same keys; the first key names the row
     */
    static void table(PrintWriter out, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<String> keys = List.copyOf(rows.get(0).keySet());
        int[] width = new int[keys.size()];
        for (int c = 0; c < keys.size(); c++) {
            width[c] = keys.get(c).length();
            for (Map<String, Object> r : rows) {
                width[c] = Math.max(width[c], cell(r.get(keys.get(c))).length());
            }
        }
        StringBuilder head = new StringBuilder();
        for (int c = 0; c < keys.size(); c++) {
            head.append(String.format(Locale.ROOT, c == 0 ? "%-" + width[c] + "s" : "  %" + width[c] + "s", keys.get(c)));
        }
        out.println(head);
        for (Map<String, Object> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < keys.size(); c++) {
                String v = cell(r.get(keys.get(c)));
                line.append(String.format(Locale.ROOT, c == 0 ? "%-" + width[c] + "s" : "  %" + width[c] + "s", v));
            }
            out.println(line);
        }
        out.flush();
    }

    private static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.5g", d);
        }
        return v.toString();
    }
}
