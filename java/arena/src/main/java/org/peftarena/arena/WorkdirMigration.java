package org.peftarena.arena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.data.TaskSource;
import org.peftarena.arena.exec.RunUnit;
import org.peftarena.arena.registry.SchemaMigration;
import org.peftarena.arena.run.PathIdsFingerprint;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * Moves a work directory whose registry has schema 1 (run ids derived from the base model's path) to
 * today's schema when an arena runs on it, so that nothing already computed is computed again. The
 * registry is first copied aside ({@value #BACKUP_NAME}). A schema-1 run is matched to a run of the
 * plan when its recorded spec equals the plan's spec in everything but the base model's path, with
 * the base model and the data fingerprinted as schema 1 did (so a changed model or data set matches
 * nothing); a matched run takes the plan's content id, its folder under {@code runs/} is renamed to
 * it and its results stay. Schema-1 runs that match nothing keep their rows and folders as they are.
 */
final class WorkdirMigration {
    /** The copy of the schema-1 registry, next to it. */
    static final String BACKUP_NAME = "registry.v1.db";

    private WorkdirMigration() {
    }

    /**
     * Migrates the registry of {@code workdir} when it has schema 1.
     *
     * @param plan the specs of the arena about to run
     * @return the one-line notice to show, or empty when there was nothing to migrate
     */
    static Optional<String> migrateIfNeeded(ArenaConfig config, Path workdir, List<RunSpec> plan) throws IOException {
        Path file = ArenaRunner.registryFile(workdir);
        if (!SchemaMigration.pathIds(file)) {
            return Optional.empty();
        }
        Path backup = workdir.resolve(BACKUP_NAME);
        for (int n = 2; Files.exists(backup); n++) {
            backup = workdir.resolve("registry.v1-" + n + ".db");
        }
        SchemaMigration.backup(file, backup);
        List<SchemaMigration.OldRun> old = SchemaMigration.oldRuns(file);
        Map<JsonNode, String> oldByContent = new HashMap<>();
        for (SchemaMigration.OldRun r : old) {
            if (r.specJson() == null) {
                continue; // an imported run: no spec to match
            }
            ObjectNode spec = (ObjectNode) RunSpecJson.MAPPER.readTree(r.specJson());
            spec.remove("base_model");
            oldByContent.putIfAbsent(normalized(spec), r.id());
        }
        Map<String, String> data = dataFingerprints(config);
        Map<String, String> models = new HashMap<>();
        Map<String, String> oldIds = new HashMap<>(); // new id -> old id
        Map<String, String> newIds = new LinkedHashMap<>(); // old id -> new id
        List<SchemaMigration.Move> moves = new ArrayList<>();
        // base runs first: a finetuning spec names its base run
        List<RunSpec> ordered = new ArrayList<>(plan.stream().filter(s -> s.kind() == RunKind.BASE).toList());
        plan.stream().filter(s -> s.kind() != RunKind.BASE).forEach(ordered::add);
        for (RunSpec s : ordered) {
            ObjectNode t = RunSpecJson.MAPPER.valueToTree(s);
            t.remove("base_model");
            String model = workdir.resolve(s.baseModel()).toAbsolutePath().normalize().toString();
            if (!models.containsKey(model)) {
                models.put(model, PathIdsFingerprint.of(Path.of(model)));
            }
            t.put("base_model_fingerprint", models.get(model));
            if (t.get("data") instanceof ObjectNode d) {
                s.data().keySet().stream().filter(data::containsKey).forEach(task -> d.put(task, data.get(task)));
            }
            if (s.baseRunId() != null) {
                String base = oldIds.get(s.baseRunId());
                if (base == null) {
                    continue; // its base run matched nothing, so neither can it
                }
                t.put("base_run_id", base);
            }
            String oldId = oldByContent.remove(normalized(t));
            if (oldId != null) {
                oldIds.put(s.id(), oldId);
                newIds.put(oldId, s.id());
                moves.add(new SchemaMigration.Move(oldId, s, RunUnit.runDir(workdir, s.id())));
            }
        }
        List<Path[]> renamed = new ArrayList<>();
        try {
            for (SchemaMigration.Move m : moves) {
                Path from = RunUnit.runDir(workdir, m.oldId());
                if (!m.oldId().equals(m.spec().id()) && Files.isDirectory(from) && !Files.exists(m.artifactDir())) {
                    Files.move(from, m.artifactDir());
                    renamed.add(new Path[] {m.artifactDir(), from});
                }
            }
            SchemaMigration.apply(file, moves, newIds);
        } catch (IOException | RuntimeException e) {
            for (Path[] r : renamed) {
                try {
                    Files.move(r[0], r[1]);
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
        return Optional.of(String.format(Locale.ROOT, "migrated %s from registry schema 1 (run ids from the base model's "
                + "path) to content ids: %d of %d run(s) matched this arena and keep their results, %d left as they were; "
                + "the schema-1 registry is kept as %s", workdir, moves.size(), old.size(), old.size() - moves.size(),
                backup.getFileName()));
    }

    /** The user tasks' data as schema 1 fingerprinted it ({@code kind:hash:hash}); built-in tasks are unchanged. */
    private static Map<String, String> dataFingerprints(ArenaConfig config) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, TaskSource> e : config.tasks().entrySet()) {
            StringBuilder sb = new StringBuilder(e.getValue().kind().configName());
            for (String p : e.getValue().paths()) {
                sb.append(':').append(PathIdsFingerprint.of(Path.of(p)));
            }
            out.put(e.getKey(), sb.toString());
        }
        return out;
    }

    /** The tree as read back from its text, so numbers compare by value whatever node type held them. */
    private static JsonNode normalized(JsonNode tree) throws IOException {
        return RunSpecJson.MAPPER.readTree(RunSpecJson.MAPPER.writeValueAsString(tree));
    }
}
