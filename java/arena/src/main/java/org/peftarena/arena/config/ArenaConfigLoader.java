package org.peftarena.arena.config;

import org.peftarena.arena.data.TaskSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.formats.io.UserFileException;
import org.peftarena.formats.io.UserTextFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.TargetModules;

/**
 * Reads arena configurations: a preset ({@code quick}, {@code quick-rl}, {@code full}, {@code study}; YAML resources),
 * overlaid by a user file (YAML for {@code .yaml}/{@code .yml}, else JSON; objects merge field by
 * field, lists and values replace), overlaid by command-line overrides. Relative data paths and a
 * relative base model path in a user file are resolved against that file's directory.
 */
public final class ArenaConfigLoader {
    /** Names of the shipped presets. */
    public static final List<String> PRESETS = List.of("quick", "quick-rl", "full", "study");

    /** Top-level key of the executor block. */
    public static final String EXECUTOR = "executor";

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private ArenaConfigLoader() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // steps: 1.5 is a mistake, not a value to round
        return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /**
     * @param preset    preset name, or null for {@code quick}
     * @param file      user config file, or null
     * @param overrides top-level fields replacing the merged values (e.g. {@code targets}), may be empty
     * @throws ArenaConfigException on an unknown preset, unreadable or invalid file, or invalid result
     */
    public static ArenaConfig load(String preset, Path file, Map<String, Object> overrides) {
        ObjectNode tree = presetTree(preset == null ? "quick" : preset);
        if (file != null) {
            ObjectNode user = readFile(file);
            resolvePaths(user, file.toAbsolutePath().getParent());
            merge(tree, user);
        }
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            tree.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        tree.remove(EXECUTOR); // where runs execute is not part of the arena (see ExecutorSettings)
        return toConfig(tree, file == null ? "preset " + preset : file.toString());
    }

    /**
     * The {@code executor:} block of a user config file, or the default (local) when there is no file
     * or no block.
     *
     * @throws ArenaConfigException when the block is invalid
     */
    public static ExecutorSettings loadExecutor(Path file) {
        if (file == null) {
            return ExecutorSettings.DEFAULT;
        }
        JsonNode block = readFile(file).get(EXECUTOR);
        if (block == null || block.isNull()) {
            return ExecutorSettings.DEFAULT;
        }
        if (!block.isObject()) {
            throw new ArenaConfigException(file + ": executor must be an object (mapping)");
        }
        try {
            return JSON.treeToValue(block, ExecutorSettings.class);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            throw new ArenaConfigException(file + ": " + (c != null ? c.getMessage() : e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new ArenaConfigException(file + ": executor: " + ConfigErrorText.describe(e), e);
        }
    }

    /** The merged tree of a preset, as it is shipped. */
    public static ObjectNode presetTree(String preset) {
        if (!PRESETS.contains(preset)) {
            throw new ArenaConfigException("unknown preset '" + preset + "'; known: " + PRESETS);
        }
        String resource = "org/peftarena/arena/presets/" + preset + ".yaml";
        try (InputStream in = ArenaConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ArenaConfigException("preset resource " + resource + " is missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new ArenaConfigException("cannot read preset " + resource + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.exists(file)) {
            throw new ArenaConfigException("config file not found: " + file);
        }
        String n = file.getFileName().toString();
        ObjectMapper m = n.endsWith(".yaml") || n.endsWith(".yml") ? YAML : JSON;
        try {
            JsonNode node = m.readTree(UserTextFiles.text(file));
            if (node == null || !node.isObject()) {
                throw new ArenaConfigException(file + ": the top level must be an object (mapping)");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new ArenaConfigException(file + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        } catch (UserFileException e) {
            throw new ArenaConfigException(e.getMessage(), e);
        } catch (IOException e) {
            throw new ArenaConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void resolvePaths(ObjectNode user, Path dir) {
        if (user.hasNonNull("base_model")) {
            Path p = Path.of(user.get("base_model").asText());
            if (!p.isAbsolute() && Files.exists(dir.resolve(p))) {
                user.put("base_model", dir.resolve(p).normalize().toString());
            }
        }
        JsonNode tasks = user.get("tasks");
        if (tasks instanceof ObjectNode obj) {
            obj.fields().forEachRemaining(e -> {
                if (e.getValue() instanceof ObjectNode t) {
                    for (String key : TaskSource.PATH_FIELDS) {
                        if (t.hasNonNull(key)) {
                            Path p = Path.of(t.get(key).asText());
                            t.put(key, (p.isAbsolute() ? p : dir.resolve(p)).normalize().toString());
                        }
                    }
                }
            });
        }
    }

    /** Merges {@code overlay} into {@code base}: objects field by field, everything else replaced. */
    static void merge(ObjectNode base, ObjectNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> it = overlay.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = base.get(e.getKey());
            if (current instanceof ObjectNode c && e.getValue() instanceof ObjectNode o) {
                merge(c, o);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static ArenaConfig toConfig(ObjectNode tree, String source) {
        try {
            normalizeTargetModules(tree, source);
            return JSON.treeToValue(tree, ArenaConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            throw new ArenaConfigException(source + ": " + (c != null ? c.getMessage() : e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new ArenaConfigException(source + ": " + ConfigErrorText.describe(e), e);
        }
    }

    /**
     * Turns {@code target_modules} as Hugging Face PEFT users write it ({@code all-linear}, a list of
     * module names, or one string of comma-separated names) into the list of names runs record, with
     * the parser of the {@code --targets} option, so {@code all-linear} and the spelled-out list are the
     * same runs.
     */
    static void normalizeTargetModules(ObjectNode tree, String source) {
        JsonNode t = tree.get(TARGET_MODULES);
        if (t == null || t.isNull()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (t.isTextual()) {
            parts.add(t.asText());
        } else if (t.isArray()) {
            for (JsonNode e : t) {
                if (!e.isTextual()) {
                    throw new ArenaConfigException(source + ": " + TARGET_MODULES + ": " + e + " is not a module name");
                }
                parts.add(e.asText());
            }
        } else {
            throw new ArenaConfigException(source + ": " + TARGET_MODULES + ": give all-linear or a list of module names (q_proj, v_proj)");
        }
        TargetModules modules;
        try {
            modules = TargetModules.parse(String.join(",", parts));
        } catch (PeftException e) {
            throw new ArenaConfigException(source + ": " + TARGET_MODULES + ": give all-linear or a list of module names (q_proj, v_proj)", e);
        }
        if (modules.regex() != null) {
            throw new ArenaConfigException(source + ": " + TARGET_MODULES + ": '" + String.join(", ", parts) + "' is neither all-linear "
                    + "nor module names (q_proj, v_proj); regular expressions are taken by train --targets only");
        }
        ArrayNode names = tree.putArray(TARGET_MODULES);
        modules.names().forEach(names::add);
    }

    private static final String TARGET_MODULES = "target_modules";

    /**
     * Reads a config written by {@link #toJson} (no preset underneath, paths as written).
     *
     * @param source names the JSON in error messages
     */
    public static ArenaConfig fromJson(String json, String source) {
        try {
            JsonNode node = JSON.readTree(json);
            if (!(node instanceof ObjectNode obj)) {
                throw new ArenaConfigException(source + ": the config must be an object");
            }
            return toConfig(obj, source);
        } catch (JsonProcessingException e) {
            throw new ArenaConfigException(source + ": " + ConfigErrorText.describe(e), e);
        }
    }

    /** The config as a JSON tree in the file format (snake_case), e.g. to record what an arena ran. */
    public static String toJson(ArenaConfig config) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the arena config", e);
        }
    }
}
