package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's command table is true: every command it lists exists, and every option it shows
 * for a command is in that command's {@code --help}. (scripts/readme-check.sh runs the README's
 * marked commands through the launcher.)
 */
class ReadmeCommandsTest {
    private static final Pattern CELL = Pattern.compile("^\\| `(.+?)` \\|", Pattern.MULTILINE);
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z0-9-]*");

    static String readme() throws Exception {
        return Files.readString(Path.of("../../README.md"));
    }

    @Test
    void everyCommandAndOptionOfTheTableExists() throws Exception {
        List<String> rows = new ArrayList<>();
        Matcher m = CELL.matcher(readme());
        while (m.find()) {
            for (String command : m.group(1).split("`, `", 0)) {
                rows.add(command);
            }
        }
        assertTrue(rows.size() >= 14, rows.toString());
        int checked = 0;
        for (String row : rows) {
            for (List<String> path : commandPaths(row)) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                CliRunner r = CliRunner.run(args.toArray(String[]::new));
                assertEquals(0, r.exitCode(), row + ": " + r.err());
                Matcher o = OPTION.matcher(row);
                while (o.find()) {
                    assertTrue(r.out().contains(o.group()), "README shows " + o.group() + " for '" + String.join(" ", path)
                            + "' but its --help does not:\n" + r.out());
                }
                checked++;
            }
        }
        assertTrue(checked >= 16, "commands checked: " + checked);
    }

    /** The leading command words of a row; {@code analyze weights\|activations\|drift} gives three paths. */
    private static List<List<String>> commandPaths(String row) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(new ArrayList<>());
        for (String word : row.split(" ", 0)) {
            String[] alternatives = word.split("\\\\\\|", 0);
            boolean isWord = true;
            for (String a : alternatives) {
                isWord &= a.matches("[a-z][a-z-]*");
            }
            if (!isWord || (alternatives.length > 1 && paths.get(0).isEmpty())) {
                break;
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> p : paths) {
                for (String a : alternatives) {
                    List<String> q = new ArrayList<>(p);
                    q.add(a);
                    next.add(q);
                }
            }
            paths = next;
        }
        return paths;
    }
}
