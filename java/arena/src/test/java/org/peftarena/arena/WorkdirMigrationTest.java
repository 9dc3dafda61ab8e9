package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.data.TaskSource;
import org.peftarena.arena.exec.RunUnit;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * A work directory of registry schema 1 (run ids from the base model's path, absolute folders), made
 * here from a finished arena as that schema wrote it, is migrated when the arena runs on it: a
 * backup of the schema-1 registry, one notice, every run that still matches keeps its results under
 * its content id, and a run whose recorded base model differs is run again.
 */
class WorkdirMigrationTest {
    @TempDir
    Path tmp;

    @Test
    void runningOnASchemaOneWorkdirMigratesItAndRedoesOnlyWhatNoLongerMatches() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("in"), List.of("lora", "oft"), 4);
        Path work = tmp.resolve("work");
        ArenaOutcome first = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, first.failed());
        List<RunSpec> plan = first.plan().runs();
        assertEquals(3, plan.size());
        int scores = count(work, "SELECT count(*) FROM scores");
        assertTrue(scores > 0);

        RunSpec changed = plan.stream().filter(s -> s.method().equals("oft")).findFirst().orElseThrow();
        Map<String, String> oldIds = downgradeToSchemaOne(config, work, plan, changed.id());
        assertEquals("1", meta(work.resolve("registry.db")));
        for (String old : oldIds.values()) {
            assertTrue(Files.isDirectory(RunUnit.runDir(work, old)), old);
        }

        List<String> notices = new ArrayList<>();
        List<String> started = new ArrayList<>();
        ArenaOutcome again = new ArenaRunner(config, work, new ArenaListener() {
            @Override
            public void notice(String message) {
                notices.add(message);
            }

            @Override
            public void runStarted(int index, RunSpec spec) {
                started.add(spec.id());
            }
        }).run();
        assertEquals(0, again.failed());
        assertEquals(List.of(changed.id()), started, "only the run whose base model no longer matches is redone");

        List<String> migrated = notices.stream().filter(n -> n.startsWith("migrated ")).toList();
        assertEquals(1, migrated.size(), notices.toString());
        assertFalse(migrated.get(0).contains("\n"), migrated.get(0));
        assertTrue(migrated.get(0).contains("2 of 3 run(s) matched") && migrated.get(0).contains("1 left as they were")
                && migrated.get(0).contains(WorkdirMigration.BACKUP_NAME), migrated.get(0));

        Path backup = work.resolve(WorkdirMigration.BACKUP_NAME);
        assertEquals("1", meta(backup), "the backup is the schema-1 registry");
        assertEquals(3, count(backup, "SELECT count(*) FROM runs"));
        assertEquals(Integer.toString(RunRegistry.SCHEMA_VERSION), meta(work.resolve("registry.db")));

        try (RunRegistry r = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunSpec s : plan) {
                RunRecord rec = r.find(s.id()).orElseThrow(() -> new AssertionError("no run " + s.id()));
                assertEquals(RunStatus.FINISHED, rec.status(), s.id());
                assertEquals(RunUnit.runDir(work, s.id()).toAbsolutePath().normalize().toString(), rec.artifactDir());
                assertTrue(Files.isDirectory(Path.of(rec.artifactDir())), rec.artifactDir());
                if (!s.id().equals(changed.id())) {
                    assertEquals(1, rec.attempts(), "kept, not rerun: " + s.id());
                    assertFalse(Files.exists(RunUnit.runDir(work, oldIds.get(s.id()))), "folder renamed: " + s.id());
                }
            }
            // the unmatched schema-1 run is kept as it was, results and folder included
            assertTrue(r.find(oldIds.get(changed.id())).isPresent());
            assertEquals(4, r.all().size());
        }
        RunSpec lora = plan.stream().filter(s -> s.method().equals("lora")).findFirst().orElseThrow();
        assertTrue(count(work, "SELECT count(*) FROM scores WHERE run_id = '" + lora.id() + "'") > 0);
        assertEquals(lora.baseRunId(), string(work, "SELECT base_run_id FROM runs WHERE id = '" + lora.id() + "'"));
        assertEquals(scores, count(work, "SELECT count(*) FROM scores WHERE run_id != '" + changed.id() + "'"),
                "every schema-1 score is still there");

        // a second run finds nothing to migrate
        notices.clear();
        new ArenaRunner(config, work, new ArenaListener() {
            @Override
            public void notice(String message) {
                notices.add(message);
            }
        }).run();
        assertTrue(notices.stream().noneMatch(n -> n.startsWith("migrated ")), notices.toString());
    }

    /**
     * Rewrites a finished work directory as registry schema 1 wrote it: specs carrying the base model's
     * absolute path and schema 1's fingerprints, ids hashing all of it, absolute artifact folders
     * named by those ids. The spec of {@code otherModel} records a base model of other content.
     *
     * @return new id to schema-1 id
     */
    private static Map<String, String> downgradeToSchemaOne(ArenaConfig config, Path work, List<RunSpec> plan,
                                                           String otherModel) throws Exception {
        Map<String, String> oldIds = new LinkedHashMap<>();
        Map<String, String> specs = new LinkedHashMap<>();
        String model = Path.of(config.baseModel()).toAbsolutePath().normalize().toString();
        List<RunSpec> ordered = new ArrayList<>(plan.stream().filter(s -> s.kind() == RunKind.BASE).toList());
        plan.stream().filter(s -> s.kind() != RunKind.BASE).forEach(ordered::add);
        for (RunSpec s : ordered) {
            ObjectNode t = RunSpecJson.MAPPER.valueToTree(s);
            t.put("base_model", model);
            t.put("base_model_fingerprint", s.id().equals(otherModel) ? "0".repeat(64) : schemaOneFingerprint(Path.of(model)));
            ObjectNode data = (ObjectNode) t.get("data");
            for (Map.Entry<String, TaskSource> e : config.tasks().entrySet()) {
                if (data.has(e.getKey())) {
                    StringBuilder sb = new StringBuilder(e.getValue().kind().configName());
                    for (String p : e.getValue().paths()) {
                        sb.append(':').append(schemaOneFingerprint(Path.of(p)));
                    }
                    data.put(e.getKey(), sb.toString());
                }
            }
            if (s.baseRunId() != null) {
                t.put("base_run_id", oldIds.get(s.baseRunId()));
            }
            String json = RunSpecJson.canonical(t);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
            oldIds.put(s.id(), s.method() + "-" + s.target() + "-s" + s.seed() + "-" + hash.substring(0, 10));
            specs.put(s.id(), json);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("registry.db").toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys=OFF");
            for (Map.Entry<String, String> e : oldIds.entrySet()) {
                String old = e.getValue();
                Path oldDir = RunUnit.runDir(work, old).toAbsolutePath().normalize();
                try (PreparedStatement p = c.prepareStatement("UPDATE runs SET id = ?, config_hash = ?, spec_json = ?, "
                        + "artifact_dir = ? WHERE id = ?")) {
                    p.setString(1, old);
                    p.setString(2, "v1-" + old);
                    p.setString(3, specs.get(e.getKey()));
                    p.setString(4, oldDir.toString());
                    p.setString(5, e.getKey());
                    p.executeUpdate();
                }
                for (String table : List.of("scores", "checkpoints", "artifacts", "score_failures", "item_counts")) {
                    st.execute("UPDATE " + table + " SET run_id = '" + old + "' WHERE run_id = '" + e.getKey() + "'");
                }
                st.execute("UPDATE runs SET base_run_id = '" + old + "' WHERE base_run_id = '" + e.getKey() + "'");
                Files.move(RunUnit.runDir(work, e.getKey()), oldDir);
            }
            st.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
        }
        return oldIds;
    }

    /** Schema 1's fingerprint: relative path and bytes of each file, in path order. */
    private static String schemaOneFingerprint(Path path) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
            }
        } else {
            files = List.of(path);
        }
        for (Path f : files) {
            md.update((Files.isDirectory(path) ? path.relativize(f).toString() : f.getFileName().toString())
                    .getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(f));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String meta(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static int count(Path workOrDb, String sql) throws Exception {
        return Integer.parseInt(string(workOrDb, sql));
    }

    private static String string(Path workOrDb, String sql) throws IOException, java.sql.SQLException {
        Path db = Files.isDirectory(workOrDb) ? workOrDb.resolve("registry.db") : workOrDb;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
