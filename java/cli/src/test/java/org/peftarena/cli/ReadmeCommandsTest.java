package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.config.ExecutorSettings;
import org.peftarena.arena.data.TaskSource;

/**
 * The README's command table is true: every command it lists exists, and every option it shows
 * for a command is in that command's {@code --help}; the arena config it shows is the quick preset's,
 * and every key an arena config can have is named in it. (scripts/readme-check.sh runs the README's
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

    /** Preset keys described in sections of their own rather than in the config block. */
    private static final Set<String> OWN_SECTIONS = Set.of("interpolation", "diagnostics");
    /** Keys whose object keys are names (task, method, variable names), not config keys. */
    private static final Set<String> NAMED_ENTRIES = Set.of("tasks", "per_method", "env");

    @Test
    void theArenaConfigBlockShowsTheQuickPresetAsItIs() throws Exception {
        String readme = readme();
        int intro = readme.indexOf("Every key of an arena config, with the `quick` preset's values");
        assertTrue(intro >= 0, "the README introduces its config block");
        int start = readme.indexOf("```yaml\n", intro) + "```yaml\n".length();
        JsonNode shown = new ObjectMapper(new YAMLFactory()).readTree(readme.substring(start, readme.indexOf("```", start)));
        JsonNode preset = ArenaConfigLoader.presetTree("quick");
        for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("tasks")) { // the block's example tasks are not the preset's
                assertEquals(preset.get(e.getKey()), e.getValue(), "README's " + e.getKey() + " vs the quick preset");
            }
        }
        for (Iterator<String> it = preset.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertTrue(shown.has(key) || OWN_SECTIONS.contains(key), "the README's config block lacks " + key);
        }
        String alphas = preset.get("interpolation").get("alphas").asText();
        assertTrue(readme.contains("`alphas: \"" + alphas + "\"`"), "the README gives the quick preset's alphas " + alphas);
    }

    @Test
    void everyArenaConfigKeyIsNamedInTheReadme() throws Exception {
        Set<String> keys = new TreeSet<>(TaskSource.PATH_FIELDS);
        keys.add("kind");
        ObjectMapper json = new ObjectMapper();
        for (String preset : ArenaConfigLoader.PRESETS) {
            collect(json.readTree(ArenaConfigLoader.toJson(ArenaConfigLoader.load(preset, null, Map.of()))), keys);
        }
        ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        collect(snake.valueToTree(Map.of(ArenaConfigLoader.EXECUTOR, ExecutorSettings.DEFAULT)), keys);
        assertTrue(keys.size() > 60, keys.toString());
        String readme = readme();
        List<String> missing = keys.stream()
                .filter(k -> !named(readme, k)).toList();
        assertEquals(List.of(), missing, "arena config keys the README does not name");
    }

    /** Whether the README names a key: {@code key:} (YAML), {@code `key`}, or a dotted path {@code `training.key: ...`}. */
    private static boolean named(String readme, String key) {
        String k = Pattern.quote(key);
        return Pattern.compile("(?<=[\\s{,`])" + k + "(?=[:`])|`[a-z_<>.]*\\." + k + "(?=[:`])").matcher(readme).find();
    }

    private static void collect(JsonNode node, Set<String> keys) {
        if (node.isArray()) {
            node.forEach(e -> collect(e, keys));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            keys.add(e.getKey());
            if (NAMED_ENTRIES.contains(e.getKey())) {
                e.getValue().forEach(v -> collect(v, keys));
            } else {
                collect(e.getValue(), keys);
            }
        }
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
