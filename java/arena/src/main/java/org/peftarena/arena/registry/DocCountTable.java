package org.peftarena.arena.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.peftarena.arena.eval.ItemCounts;

/**
 * The registry's {@code item_counts} table: per-document (text) or per-problem counts behind a run's
 * task scores, so that reports compute cluster-bootstrap standard errors and paired differences.
 * Keyed like the {@code scores} table without the metric; the lists are stored as comma-separated
 * integers. Created on open, so older registries gain it without a schema change (and read as empty).
 */
final class DocCountTable {
    /** The table's name. */
    static final String NAME = "item_counts";

    private DocCountTable() {
    }

    static void create(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS item_counts(
                  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, phase TEXT NOT NULL,
                  step INTEGER NOT NULL, alpha REAL NOT NULL, task TEXT NOT NULL,
                  items TEXT NOT NULL, correct TEXT NOT NULL, total TEXT NOT NULL,
                  PRIMARY KEY(run_id, phase, step, alpha, task))""");
    }

    /** Replaces the counts of one key. */
    static void put(Connection db, String runId, String phase, int step, double alpha, String task, ItemCounts c)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                INSERT OR REPLACE INTO item_counts(run_id, phase, step, alpha, task, items, correct, total)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?)""")) {
            p.setString(1, runId);
            p.setString(2, phase);
            p.setInt(3, step);
            p.setDouble(4, alpha);
            p.setString(5, task);
            p.setString(6, join(c.items()));
            p.setString(7, join(c.correct()));
            p.setString(8, join(c.total()));
            p.executeUpdate();
        }
    }

    /** Removes a run's counts of phases other than {@code keepPhase}. */
    static void deleteExcept(Connection db, String runId, String keepPhase) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM item_counts WHERE run_id = ? AND phase != ?")) {
            p.setString(1, runId);
            p.setString(2, keepPhase);
            p.executeUpdate();
        }
    }

    /** A run's counts of one phase by task (the lowest step and alpha first when there are several). */
    static Map<String, ItemCounts> find(Connection db, String runId, String phase) throws SQLException {
        Map<String, ItemCounts> out = new LinkedHashMap<>();
        if (!exists(db)) {
            return out;
        }
        try (PreparedStatement p = db.prepareStatement("SELECT task, items, correct, total FROM item_counts "
                + "WHERE run_id = ? AND phase = ? ORDER BY step DESC, alpha DESC, task")) {
            p.setString(1, runId);
            p.setString(2, phase);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new ItemCounts(split(r.getString(2)), split(r.getString(3)),
                            split(r.getString(4))));
                }
            }
        }
        return out;
    }

    private static boolean exists(Connection db) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            p.setString(1, NAME);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getInt(1) > 0;
            }
        }
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static List<Integer> split(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        Arrays.stream(s.split(",", -1)).forEach(x -> out.add(Integer.parseInt(x)));
        return out;
    }
}
