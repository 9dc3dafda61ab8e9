package org.peftarena.arena.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's {@code artifacts} table: one row per run and artifact kind, replaced when the
 * artifact is made again. Created on open, so older registries gain it without a schema change.
 */
final class ArtifactTable {
    private static final String COLUMNS = "run_id, kind, status, path, config_hash, seconds, error, created_at";

    private ArtifactTable() {
    }

    static void create(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS artifacts(
                  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, kind TEXT NOT NULL,
                  status TEXT NOT NULL, path TEXT, config_hash TEXT, seconds REAL NOT NULL DEFAULT 0, error TEXT,
                  created_at TEXT NOT NULL, PRIMARY KEY(run_id, kind))""");
    }

    static void put(Connection db, ArtifactRecord a) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO artifacts(" + COLUMNS
                + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, a.runId());
            p.setString(2, a.kind());
            p.setString(3, a.status());
            p.setString(4, a.path());
            p.setString(5, a.configHash());
            p.setDouble(6, a.seconds());
            p.setString(7, a.error());
            p.setString(8, a.createdAt());
            p.executeUpdate();
        }
    }

    /** Rows of one kind, of one run when {@code runId} is not null, in run then time order. */
    static List<ArtifactRecord> find(Connection db, String kind, String runId) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM artifacts WHERE kind = ?" + (runId == null ? "" : " AND run_id = ?")
                + " ORDER BY run_id, created_at";
        List<ArtifactRecord> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, kind);
            if (runId != null) {
                p.setString(2, runId);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new ArtifactRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getDouble(6), r.getString(7), r.getString(8)));
                }
            }
        }
        return out;
    }
}
