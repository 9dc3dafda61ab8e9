package org.peftarena.arena.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.peftarena.arena.eval.ItemCounts;
import org.peftarena.arena.eval.TaskScore;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * The arena's run registry: an SQLite database in WAL mode with full synchronisation, so a
 * committed result survives a hard kill. Runs are keyed by id (unique configuration hash); a
 * finished run's scores, checkpoints and status are written in one transaction, so a run is
 * either finished with all its scores or not finished at all. Artifact folders inside the registry's
 * directory (the work directory) are stored relative to it and read back resolved against where the
 * registry lies now, so a moved or copied work directory keeps finding its runs.
 */
public final class RunRegistry implements AutoCloseable {
    /**
     * Schema version stored in the {@code meta} table. Version 2 identifies runs by the base model's
     * content rather than its path, and stores artifact folders relative to the work directory.
     */
    public static final int SCHEMA_VERSION = 2;
    /** The earlier schema: the same tables, run ids derived from the base model's path. */
    static final int PATH_IDS_SCHEMA = 1;

    private final Connection db;
    private final Path file;

    private RunRegistry(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    /**
     * Opens (creating if needed) a registry file.
     *
     * @throws RegistryException when the file is not an SQLite database or has another schema version
     */
    public static RunRegistry open(Path file) {
        Connection c = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            RunRegistry r = new RunRegistry(c, file);
            r.createSchema();
            return r;
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            closeQuietly(c, e);
            if (e instanceof RegistryException re) {
                throw re;
            }
            throw new RegistryException("cannot open run registry " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing registry only to read it (reports): nothing is created or written, not even
     * the WAL side files, so a finished registry on read-only storage can be read.
     *
     * @throws RegistryException when the file is missing, not an SQLite database or has another schema version
     */
    public static RunRegistry openReadOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RegistryException("no run registry at " + file);
        }
        Connection c = null;
        try {
            // immutable: SQLite neither locks nor looks for a -wal/-shm file, which need a writable directory
            String uri = file.toAbsolutePath().toUri().toString().replaceFirst("^file://", "file:");
            c = DriverManager.getConnection("jdbc:sqlite:" + uri + "?mode=ro&immutable=1");
            RunRegistry r = new RunRegistry(c, file);
            String v = r.meta("schema_version").orElse("?");
            // schema 1 has the same tables: its runs can still be reported, only not resumed
            if (!v.equals(Integer.toString(SCHEMA_VERSION)) && !v.equals(Integer.toString(PATH_IDS_SCHEMA))) {
                throw new RegistryException(file + " has registry schema version " + v + ", this build reads "
                        + SCHEMA_VERSION);
            }
            return r;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            if (e instanceof RegistryException re) {
                throw re;
            }
            throw new RegistryException("cannot read run registry " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A registry in memory holding every run of several registries, for one report over arenas run in
     * pieces (several work directories). The files are only read. A run in more than one of them
     * (the same id) is taken from the first; settings (the {@code meta} table) too.
     *
     * @throws RegistryException when a file is missing, not a registry or has another schema version
     */
    public static RunRegistry combine(List<Path> files) {
        if (files.isEmpty()) {
            throw new RegistryException("no run registry to combine");
        }
        Connection c = null;
        try {
            for (Path f : files) {
                try (RunRegistry check = openReadOnly(f)) {
                    check.all(); // the schema version and the runs table are readable
                }
            }
            c = DriverManager.getConnection("jdbc:sqlite::memory:");
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys=ON");
            }
            RunRegistry r = new RunRegistry(c, files.get(0));
            r.createSchema();
            try (Statement s = c.createStatement()) {
                for (Path f : files) {
                    String uri = f.toAbsolutePath().toUri().toString().replaceFirst("^file://", "file:");
                    s.execute("ATTACH DATABASE '" + uri.replace("'", "''") + "?mode=ro&immutable=1' AS src");
                    for (String table : COMBINED_TABLES) {
                        if (tableExists(s, table)) {
                            s.execute("INSERT OR IGNORE INTO main." + table + " SELECT * FROM src." + table
                                    + (table.equals("runs") ? " ORDER BY created_at, rowid" : ""));
                        }
                    }
                    s.execute("DETACH DATABASE src");
                }
            }
            return r;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            if (e instanceof RegistryException re) {
                throw re;
            }
            throw new RegistryException("cannot combine run registries " + files + ": " + e.getMessage(), e);
        }
    }

    /** Tables a combined registry copies, parents before children. */
    private static final List<String> COMBINED_TABLES = List.of("meta", "runs", "scores", "checkpoints", "artifacts",
            "score_failures", DocCountTable.NAME);

    private static boolean tableExists(Statement s, String table) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM src.sqlite_master WHERE type = 'table' AND name = '"
                + table + "'")) {
            return r.next() && r.getInt(1) > 0;
        }
    }

    /** Closes a connection that failed its checks, keeping a close failure with the original one. */
    private static void closeQuietly(Connection c, Exception cause) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private void createSchema() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS runs(
                      id TEXT PRIMARY KEY, config_hash TEXT UNIQUE, kind TEXT NOT NULL, spec_json TEXT,
                      method TEXT NOT NULL, budget TEXT NOT NULL, size INTEGER NOT NULL, trainable_params INTEGER NOT NULL,
                      target TEXT NOT NULL, seed INTEGER NOT NULL, base_run_id TEXT,
                      status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                      created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
                      train_seconds REAL NOT NULL DEFAULT 0, eval_seconds REAL NOT NULL DEFAULT 0,
                      total_seconds REAL NOT NULL DEFAULT 0, train_tokens_per_second REAL NOT NULL DEFAULT 0,
                      backend TEXT, versions_json TEXT, artifact_dir TEXT, model_path TEXT, error TEXT)""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS scores(
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, phase TEXT NOT NULL,
                      step INTEGER NOT NULL, alpha REAL NOT NULL, task TEXT NOT NULL, metric TEXT NOT NULL,
                      value REAL NOT NULL, PRIMARY KEY(run_id, phase, step, alpha, task, metric))""");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS checkpoints(
                      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
                      path TEXT NOT NULL, PRIMARY KEY(run_id, step))""");
            ArtifactTable.create(s);
            ScoreFailureTable.create(s);
            DocCountTable.create(s);
            s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '" + SCHEMA_VERSION + "')");
        }
        String v = meta("schema_version").orElse("?");
        if (v.equals(Integer.toString(PATH_IDS_SCHEMA))) {
            throw new RegistryException(file + " was written by an earlier peft-arena whose run ids depended on the "
                    + "base model's path; running the arena on it ('peft-arena arena --workdir W') migrates it, keeping a "
                    + "backup, and its runs can be reported as they are ('peft-arena report')");
        }
        if (!v.equals(Integer.toString(SCHEMA_VERSION))) {
            throw new RegistryException(file + " has registry schema version " + v + ", this build reads "
                    + SCHEMA_VERSION);
        }
    }

    /** The directory relative paths are stored against: the registry's own (the work directory). */
    private Path root() {
        return file.toAbsolutePath().normalize().getParent();
    }

    /** A path as stored: relative to {@link #root} when inside it, else absolute. */
    private String stored(String path) {
        if (path == null) {
            return null;
        }
        Path p = Path.of(path).toAbsolutePath().normalize();
        return p.startsWith(root()) ? root().relativize(p).toString() : p.toString();
    }

    /** A stored path resolved against where the registry lies now. */
    private String resolved(String stored) {
        return stored == null || Path.of(stored).isAbsolute() ? stored : root().resolve(stored).normalize().toString();
    }

    /** The schema version this registry records. */
    Optional<String> schemaVersion() {
        try {
            return meta("schema_version");
        } catch (SQLException e) {
            throw new RegistryException("cannot read the schema version of " + file + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> meta(String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Registers a run if it is not there yet (a run already registered keeps its status and scores).
     *
     * @return the run's record
     */
    public synchronized RunRecord register(RunSpec spec, Path artifactDir) {
        String id = spec.id();
        try (PreparedStatement p = db.prepareStatement("""
                INSERT OR IGNORE INTO runs(id, config_hash, kind, spec_json, method, budget, size, trainable_params,
                  target, seed, base_run_id, status, created_at, artifact_dir)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            p.setString(1, id);
            p.setString(2, spec.configHash());
            p.setString(3, spec.kind().label());
            p.setString(4, RunSpecJson.canonical(spec));
            p.setString(5, spec.method());
            p.setString(6, spec.budget());
            p.setInt(7, spec.size());
            p.setLong(8, spec.trainableParams());
            p.setString(9, spec.target());
            p.setLong(10, spec.seed());
            p.setString(11, spec.baseRunId());
            p.setString(12, RunStatus.PENDING.label());
            p.setString(13, now());
            p.setString(14, stored(artifactDir.toString()));
            p.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryException("cannot register run " + id + ": " + e.getMessage(), e);
        }
        return find(id).orElseThrow();
    }

    /**
     * Resets runs left {@code running} by an interrupted process to {@code pending}; call only while
     * holding the workdir lock, when no other process can be running them.
     *
     * @return the ids reset
     */
    public synchronized List<String> resetInterrupted() {
        List<String> ids = new ArrayList<>();
        for (RunRecord r : all()) {
            if (r.status() == RunStatus.RUNNING) {
                ids.add(r.id());
            }
        }
        update("UPDATE runs SET status = ? WHERE status = ?", RunStatus.PENDING.label(), RunStatus.RUNNING.label());
        return ids;
    }

    /** Records the start of an attempt. */
    public synchronized void markRunning(String id) {
        update("UPDATE runs SET status = ?, attempts = attempts + 1, started_at = ?, error = NULL WHERE id = ?",
                RunStatus.RUNNING.label(), now(), id);
    }

    /** Records a failed attempt. */
    public synchronized void markFailed(String id, String error) {
        update("UPDATE runs SET status = ?, error = ?, finished_at = NULL WHERE id = ?", RunStatus.FAILED.label(),
                error, id);
    }

    /**
     * Stores a finished run's result, scores and checkpoints and marks it finished, all in one transaction.
     *
     * @param scores the rows to store (replacing earlier final and trajectory rows of the run)
     */
    public synchronized void markFinished(RunResult result, List<ScoreRow> scores) {
        inTransaction(() -> {
            try (PreparedStatement del = db.prepareStatement("DELETE FROM scores WHERE run_id = ? AND phase != ?");
                 PreparedStatement delCk = db.prepareStatement("DELETE FROM checkpoints WHERE run_id = ?")) {
                del.setString(1, result.runId());
                del.setString(2, ScoreRow.IMPORTED);
                del.executeUpdate();
                ScoreFailureTable.delete(db, result.runId(), "phase != ?", ScoreRow.IMPORTED);
                delCk.setString(1, result.runId());
                delCk.executeUpdate();
                DocCountTable.deleteExcept(db, result.runId(), ScoreRow.IMPORTED);
            }
            insertScores(scores);
            int finalStep = scores.stream().filter(r -> r.phase().equals(ScoreRow.FINAL)).mapToInt(ScoreRow::step)
                    .max().orElse(0);
            for (TaskScore t : result.scores().values()) {
                if (t.counts() != null && t.counts().size() > 0) {
                    DocCountTable.put(db, result.runId(), ScoreRow.FINAL, finalStep, 1.0, t.task(), t.counts());
                }
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO checkpoints(run_id, step, path) VALUES(?, ?, ?)")) {
                for (Map.Entry<Integer, String> e : result.checkpoints().entrySet()) {
                    p.setString(1, result.runId());
                    p.setInt(2, e.getKey());
                    p.setString(3, e.getValue());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("""
                    UPDATE runs SET status = ?, finished_at = ?, train_seconds = ?, eval_seconds = ?, total_seconds = ?,
                      train_tokens_per_second = ?, trainable_params = ?, backend = ?, versions_json = ?, model_path = ?,
                      error = NULL WHERE id = ?""")) {
                p.setString(1, RunStatus.FINISHED.label());
                p.setString(2, now());
                p.setDouble(3, result.trainSeconds());
                p.setDouble(4, result.evalSeconds());
                p.setDouble(5, result.totalSeconds());
                p.setDouble(6, result.trainTokensPerSecond());
                p.setLong(7, result.trainableParams());
                p.setString(8, result.backend());
                p.setString(9, RunSpecJson.canonical(result.versions()));
                p.setString(10, result.modelPath());
                p.setString(11, result.runId());
                if (p.executeUpdate() != 1) {
                    throw new SQLException("run " + result.runId() + " is not registered");
                }
            }
        });
    }

    /**
     * Creates or updates a run whose scores come from an external evaluator and adds its scores.
     *
     * @param record the run (status {@link RunStatus#IMPORTED}); an existing run keeps its row
     * @param scores imported score rows
     */
    public synchronized void importRun(RunRecord record, List<ScoreRow> scores) {
        inTransaction(() -> {
            try (PreparedStatement p = db.prepareStatement("""
                    INSERT OR IGNORE INTO runs(id, config_hash, kind, spec_json, method, budget, size, trainable_params,
                      target, seed, base_run_id, status, created_at, finished_at, artifact_dir, model_path)
                    VALUES(?, NULL, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                p.setString(1, record.id());
                p.setString(2, record.kind().label());
                p.setString(3, record.method());
                p.setString(4, record.budget());
                p.setInt(5, record.size());
                p.setLong(6, record.trainableParams());
                p.setString(7, record.target());
                p.setLong(8, record.seed());
                p.setString(9, record.baseRunId());
                p.setString(10, RunStatus.IMPORTED.label());
                p.setString(11, now());
                p.setString(12, now());
                p.setString(13, stored(record.artifactDir()));
                p.setString(14, record.modelPath());
                p.executeUpdate();
            }
            insertScores(scores);
        });
    }

    /**
     * Replaces a run's post-hoc rows (phases starting with {@code prefix}, e.g. the interpolation path
     * and rewinding rows) in one transaction; the run's final and trajectory rows are left alone.
     *
     * @param prefix phase prefix of the rows to replace
     * @param scores the new rows (each phase starting with {@code prefix})
     */
    public synchronized void replacePhases(String runId, String prefix, List<ScoreRow> scores) {
        inTransaction(() -> {
            try (PreparedStatement del = db.prepareStatement("DELETE FROM scores WHERE run_id = ? AND substr(phase, 1, ?) = ?")) {
                del.setString(1, runId);
                del.setInt(2, prefix.length());
                del.setString(3, prefix);
                del.executeUpdate();
                ScoreFailureTable.delete(db, runId, "substr(phase, 1, ?) = ?", prefix.length(), prefix);
            }
            insertScores(scores);
        });
    }

    /** A value of the registry's {@code meta} table (e.g. settings a report needs), if set. */
    public synchronized Optional<String> setting(String key) {
        try {
            return meta(key);
        } catch (SQLException e) {
            throw new RegistryException("cannot read " + key + " from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets a value of the registry's {@code meta} table. */
    public synchronized void putSetting(String key, String value) {
        update("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", key, value);
    }

    /** Stores finite scores; a non-finite one becomes a {@link ScoreFailure} with its reason instead. */
    private void insertScores(List<ScoreRow> scores) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                INSERT OR REPLACE INTO scores(run_id, phase, step, alpha, task, metric, value) VALUES(?, ?, ?, ?, ?, ?, ?)""")) {
            for (ScoreRow s : scores) {
                if (!Double.isFinite(s.value())) {
                    ScoreFailureTable.put(db, ScoreFailure.of(s));
                    continue;
                }
                ScoreFailureTable.clear(db, s);
                ScoreFailureTable.bindKey(p, s.runId(), s.phase(), s.step(), s.alpha(), s.task(), s.metric());
                p.setDouble(7, s.value());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** The run of that id, if registered. */
    public synchronized Optional<RunRecord> find(String id) {
        List<RunRecord> r = query("SELECT * FROM runs WHERE id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** Every run, in registration order. */
    public synchronized List<RunRecord> all() {
        return query("SELECT * FROM runs ORDER BY created_at, rowid");
    }

    /** Every score row of a run. */
    public synchronized List<ScoreRow> scores(String runId) {
        List<ScoreRow> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(
                "SELECT run_id, phase, step, alpha, task, metric, value FROM scores WHERE run_id = ? ORDER BY phase, step, alpha, task, metric")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new ScoreRow(r.getString(1), r.getString(2), r.getInt(3), r.getDouble(4), r.getString(5),
                            r.getString(6), r.getDouble(7)));
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot read scores of " + runId + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The per-item counts behind a run's scores in one phase (e.g. {@link ScoreRow#FINAL}), by task;
     * empty when the run kept none (older registries, imported runs).
     */
    public synchronized Map<String, ItemCounts> itemCounts(String runId, String phase) {
        try {
            return DocCountTable.find(db, runId, phase);
        } catch (SQLException e) {
            throw new RegistryException("cannot read item counts of " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The scores of a run that were not finite, with the reason, in the order of {@link #scores}. */
    public synchronized List<ScoreFailure> scoreFailures(String runId) {
        try {
            return ScoreFailureTable.find(db, runId);
        } catch (SQLException e) {
            throw new RegistryException("cannot read score failures of " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoints of a run: step to path relative to its artifact folder. */
    public synchronized Map<Integer, String> checkpoints(String runId) {
        Map<Integer, String> out = new TreeMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT step, path FROM checkpoints WHERE run_id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getInt(1), r.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot read checkpoints of " + runId + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Records (or replaces) a run's derived artifact of one kind, with its timing or failure. */
    public synchronized void putArtifact(ArtifactRecord artifact) {
        inTransaction(() -> ArtifactTable.put(db, artifact));
    }

    /** The artifacts of one kind, of one run when {@code runId} is not null. */
    public synchronized List<ArtifactRecord> artifacts(String kind, String runId) {
        try {
            return ArtifactTable.find(db, kind, runId);
        } catch (SQLException e) {
            throw new RegistryException("cannot read " + kind + " artifacts from " + file + ": " + e.getMessage(), e);
        }
    }

    private List<RunRecord> query(String sql, String... args) {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new RunRecord(r.getString("id"), r.getString("config_hash"), RunKind.parse(r.getString("kind")),
                            r.getString("spec_json"), r.getString("method"), r.getString("budget"), r.getInt("size"),
                            r.getLong("trainable_params"), r.getString("target"), r.getLong("seed"),
                            r.getString("base_run_id"), RunStatus.parse(r.getString("status")), r.getInt("attempts"),
                            r.getString("created_at"), r.getString("started_at"), r.getString("finished_at"),
                            r.getDouble("train_seconds"), r.getDouble("eval_seconds"), r.getDouble("total_seconds"),
                            r.getDouble("train_tokens_per_second"), r.getString("backend"), r.getString("versions_json"),
                            resolved(r.getString("artifact_dir")), r.getString("model_path"), r.getString("error")));
                }
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot read runs from " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private void update(String sql, String... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            p.executeUpdate();
        } catch (SQLException e) {
            throw new RegistryException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RegistryException("registry transaction failed on " + file + ": " + e.getMessage(), e);
        }
    }

    private static String now() {
        return Instant.now().toString();
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new RegistryException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
