package org.peftarena.arena.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.formats.io.AtomicFiles;

/**
 * {@code plan.json} in an arena's work directory: the arena config and every run spec in plan order
 * (a run's index is its position). Written once before any run starts; every task reads it to
 * learn what its run is, so a task needs nothing but the work directory and a run id. Paths inside
 * the work directory (base model, task data) are stored relative to it, so hosts that mount the
 * work directory at different paths read the same plan.
 *
 * @param format  file format version
 * @param config  the arena config (the config file format)
 * @param runs    every run, in plan order
 */
public record PlanFile(int format, JsonNode config, List<RunSpec> runs) {
    /** File name in the work directory. */
    public static final String FILE = "plan.json";
    /** Current format. */
    public static final int FORMAT = 1;

    /** Copies the list. */
    public PlanFile {
        runs = List.copyOf(runs);
    }

    /** The plan file of an arena. */
    public static PlanFile of(ArenaConfig config, ArenaPlan plan) {
        try {
            return new PlanFile(FORMAT, RunSpecJson.MAPPER.readTree(ArenaConfigLoader.toJson(config)), plan.runs());
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the arena config", e);
        }
    }

    /** The plan file of a work directory. */
    public static Path file(Path workdir) {
        return workdir.resolve(FILE);
    }

    /**
     * Writes the file unless it holds this plan already (so it is written once, and a changed arena
     * replaces it before its runs start).
     */
    public void write(Path workdir) throws IOException {
        Optional<PlanFile> current = readIfValid(workdir);
        if (current.isPresent() && current.get().runs().equals(runs) && current.get().config().equals(config)) {
            return;
        }
        Files.createDirectories(workdir);
        Path root = workdir.toAbsolutePath().normalize();
        PlanFile stored = new PlanFile(format, rebase(config, p -> relative(root, p)),
                runs.stream().map(r -> r.withBaseModel(relative(root, r.baseModel()))).toList());
        AtomicFiles.write(file(workdir), RunSpecJson.pretty(stored).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a work directory's plan.
     *
     * @throws IOException when it is missing or not a valid plan file
     */
    public static PlanFile read(Path workdir) throws IOException {
        Path f = file(workdir);
        String json;
        try {
            json = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("no plan in " + workdir + " (" + FILE + " is written by 'peft-arena arena' before "
                    + "any run starts)", e);
        }
        PlanFile p;
        try {
            p = RunSpecJson.read(json, PlanFile.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(f + " is not a valid plan: " + e.getMessage(), e);
        }
        if (p.format() != FORMAT || p.config() == null) {
            throw new IOException(f + " has format " + p.format() + "; this version reads format " + FORMAT);
        }
        Path root = workdir.toAbsolutePath().normalize();
        return new PlanFile(p.format(), rebase(p.config(), q -> absolute(root, q)),
                p.runs().stream().map(r -> r.withBaseModel(absolute(root, r.baseModel()))).toList());
    }

    /** A path inside the work directory relative to it; any other unchanged. */
    private static String relative(Path root, String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        return p.startsWith(root) ? root.relativize(p).toString() : path;
    }

    /** A path stored relative to the work directory resolved against where it lies now. */
    private static String absolute(Path root, String path) {
        return Path.of(path).isAbsolute() ? path : root.resolve(path).normalize().toString();
    }

    /** The config with its paths (base model, task data) mapped. */
    private static JsonNode rebase(JsonNode config, java.util.function.UnaryOperator<String> map) {
        if (!(config instanceof ObjectNode o)) {
            return config;
        }
        ObjectNode c = o.deepCopy();
        if (c.path("base_model").isTextual()) {
            c.put("base_model", map.apply(c.get("base_model").asText()));
        }
        for (JsonNode task : c.path("tasks")) {
            if (task instanceof ObjectNode t) {
                for (String key : org.peftarena.arena.data.TaskSource.PATH_FIELDS) {
                    if (t.path(key).isTextual()) {
                        t.put(key, map.apply(t.get(key).asText()));
                    }
                }
            }
        }
        return c;
    }

    private static Optional<PlanFile> readIfValid(Path workdir) {
        try {
            return Files.isRegularFile(file(workdir)) ? Optional.of(read(workdir)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The arena config. */
    public ArenaConfig arenaConfig() {
        return ArenaConfigLoader.fromJson(config.toString(), FILE);
    }

    /** The runs as a plan. */
    public ArenaPlan plan() {
        return new ArenaPlan(runs);
    }

    /** The run with this id, or its index in plan order when {@code id} is a number. */
    public RunSpec run(String id) {
        for (RunSpec s : runs) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        if (id.matches("\\d{1,9}") && Integer.parseInt(id) < runs.size()) {
            return runs.get(Integer.parseInt(id));
        }
        throw new IllegalArgumentException("no run '" + id + "' in the plan (" + runs.size() + " runs, e.g. "
                + (runs.isEmpty() ? "none" : runs.get(0).id()) + ")");
    }
}
