package org.peftarena.arena.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's {@code score_failures} table: scores that were not finite numbers, with the reason,
 * keyed like the {@code scores} table. Created on open, so older registries gain it without a schema change.
 */
final class ScoreFailureTable {
    private ScoreFailureTable() {
    }

    static void create(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS score_failures(
                  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, phase TEXT NOT NULL,
                  step INTEGER NOT NULL, alpha REAL NOT NULL, task TEXT NOT NULL, metric TEXT NOT NULL,
                  value TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(run_id, phase, step, alpha, task, metric))""");
    }

    /** Records a failure, replacing a stored score of the same key (a later value supersedes it). */
    static void put(Connection db, ScoreFailure f) throws SQLException {
        try (PreparedStatement del = db.prepareStatement(
                "DELETE FROM scores WHERE run_id = ? AND phase = ? AND step = ? AND alpha = ? AND task = ? AND metric = ?");
             PreparedStatement p = db.prepareStatement("""
                INSERT OR REPLACE INTO score_failures(run_id, phase, step, alpha, task, metric, value, reason)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?)""")) {
            bindKey(del, f.runId(), f.phase(), f.step(), f.alpha(), f.task(), f.metric());
            del.executeUpdate();
            bindKey(p, f.runId(), f.phase(), f.step(), f.alpha(), f.task(), f.metric());
            p.setString(7, f.value());
            p.setString(8, f.reason());
            p.executeUpdate();
        }
    }

    /** Binds a score key (the primary key shared by {@code scores} and {@code score_failures}) to parameters 1..6. */
    static void bindKey(PreparedStatement p, String runId, String phase, int step, double alpha, String task, String metric)
            throws SQLException {
        p.setString(1, runId);
        p.setString(2, phase);
        p.setInt(3, step);
        p.setDouble(4, alpha);
        p.setString(5, task);
        p.setString(6, metric);
    }

    /** Removes the failure of a key a finite score now fills. */
    static void clear(Connection db, ScoreRow s) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "DELETE FROM score_failures WHERE run_id = ? AND phase = ? AND step = ? AND alpha = ? AND task = ? AND metric = ?")) {
            bindKey(p, s.runId(), s.phase(), s.step(), s.alpha(), s.task(), s.metric());
            p.executeUpdate();
        }
    }

    /** Removes a run's failures of the phases a {@code WHERE} fragment on {@code phase} selects (bound to {@code args}). */
    static void delete(Connection db, String runId, String phaseCondition, Object... args) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM score_failures WHERE run_id = ? AND " + phaseCondition)) {
            p.setString(1, runId);
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 2, args[i]);
            }
            p.executeUpdate();
        }
    }

    static List<ScoreFailure> find(Connection db, String runId) throws SQLException {
        List<ScoreFailure> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("""
                SELECT run_id, phase, step, alpha, task, metric, value, reason FROM score_failures WHERE run_id = ?
                ORDER BY phase, step, alpha, task, metric""")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new ScoreFailure(r.getString(1), r.getString(2), r.getInt(3), r.getDouble(4), r.getString(5),
                            r.getString(6), r.getString(7), r.getString(8)));
                }
            }
        }
        return out;
    }
}
