package org.peftarena.arena.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * The database side of moving a registry of schema 1 (run ids derived from the base model's path,
 * absolute artifact folders) to schema {@link RunRegistry#SCHEMA_VERSION}: read its runs, copy the
 * file aside, and give the runs matched to today's plan their content ids, specs and relative
 * folders in one transaction (scores, checkpoints and artifacts follow their run). Runs not matched
 * keep their rows as they are, results included.
 */
public final class SchemaMigration {
    /** A run as schema 1 stored it. */
    public record OldRun(String id, String specJson, String status) {
    }

    /**
     * A matched run's new identity.
     *
     * @param oldId       its id in the schema-1 registry
     * @param spec        today's spec of the same run (its id is the new one)
     * @param artifactDir its artifact folder (now under the new id)
     */
    public record Move(String oldId, RunSpec spec, Path artifactDir) {
    }

    /** Tables whose rows belong to a run through {@code run_id}. */
    private static final List<String> CHILD_TABLES = List.of("scores", "checkpoints", "artifacts", "score_failures",
            DocCountTable.NAME);

    private SchemaMigration() {
    }

    /** The schema version of a registry file, or empty when there is no file. */
    public static Optional<String> version(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (RunRegistry r = RunRegistry.openReadOnly(file)) {
            return r.schemaVersion();
        } catch (RegistryException e) {
            return Optional.of("?");
        }
    }

    /** Whether a registry file is of schema 1. */
    public static boolean pathIds(Path file) {
        return version(file).filter(v -> v.equals(Integer.toString(RunRegistry.PATH_IDS_SCHEMA))).isPresent();
    }

    /** The runs of a schema-1 registry. */
    public static List<OldRun> oldRuns(Path file) {
        List<OldRun> out = new ArrayList<>();
        try (Connection c = connect(file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, spec_json, status FROM runs ORDER BY created_at, rowid")) {
            while (r.next()) {
                out.add(new OldRun(r.getString(1), r.getString(2), r.getString(3)));
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot read the runs of " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A complete copy of the database (what its write-ahead log holds included) at {@code backup}. */
    public static void backup(Path file, Path backup) {
        try (Connection c = connect(file); PreparedStatement p = c.prepareStatement("VACUUM INTO ?")) {
            p.setString(1, backup.toAbsolutePath().toString());
            p.execute();
        } catch (SQLException e) {
            throw new RegistryException("cannot copy " + file + " to " + backup + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the matched runs their new identities and marks the registry as schema
     * {@link RunRegistry#SCHEMA_VERSION}, all in one transaction.
     *
     * @param baseIds old id to new id of every matched run (finetuning runs' {@code base_run_id} follows)
     */
    public static void apply(Path file, List<Move> moves, Map<String, String> baseIds) {
        Path root = file.toAbsolutePath().normalize().getParent();
        try (Connection c = connect(file)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA defer_foreign_keys=ON"); // a run and its rows change id together
                for (Move m : moves) {
                    String id = m.spec().id();
                    Path dir = m.artifactDir().toAbsolutePath().normalize();
                    try (PreparedStatement p = c.prepareStatement("UPDATE runs SET id = ?, config_hash = ?, spec_json = ?, "
                            + "artifact_dir = ? WHERE id = ?")) {
                        p.setString(1, id);
                        p.setString(2, m.spec().configHash());
                        p.setString(3, RunSpecJson.canonical(m.spec()));
                        p.setString(4, dir.startsWith(root) ? root.relativize(dir).toString() : dir.toString());
                        p.setString(5, m.oldId());
                        p.executeUpdate();
                    }
                    for (String table : CHILD_TABLES) {
                        if (!exists(c, table)) {
                            continue; // an older registry without this table has no rows for it
                        }
                        try (PreparedStatement p = c.prepareStatement("UPDATE " + table + " SET run_id = ? WHERE run_id = ?")) {
                            p.setString(1, id);
                            p.setString(2, m.oldId());
                            p.executeUpdate();
                        }
                    }
                }
                for (Map.Entry<String, String> e : baseIds.entrySet()) {
                    try (PreparedStatement p = c.prepareStatement("UPDATE runs SET base_run_id = ? WHERE base_run_id = ?")) {
                        p.setString(1, e.getValue());
                        p.setString(2, e.getKey());
                        p.executeUpdate();
                    }
                }
                s.execute("UPDATE meta SET value = '" + RunRegistry.SCHEMA_VERSION + "' WHERE key = 'schema_version'");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot migrate " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, table);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getInt(1) > 0;
            }
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA foreign_keys=ON");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
