/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.station.secrets.Secrets;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.linesight.config.station.StorageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The results database: verdicts, what became of archived images, alarms, shift counters and the audit trail. One
 * schema on two engines: SQLite in WAL mode under the data directory (the default) or PostgreSQL shared by the
 * stations of a plant, each migrated with Flyway from its own folder ({@code db/migration/sqlite},
 * {@code db/migration/postgresql}). Connections come from a small pool. Writes come from one thread (the
 * {@link StoreWriter}); each batch is one transaction, so a crash loses at most the batch in flight (which the spool
 * still holds) and never leaves half a row. Inserts are idempotent on (line, station, seq): replaying the spool after a
 * crash cannot duplicate a verdict.
 *
 * <p>SQLite runs with {@code synchronous=FULL}: a commit is on disk (WAL forced) when it returns, which the spool's
 * position relies on (docs/RELIABILITY.md, with the measured cost).
 *
 * <p>{@link #open} (the offline tools) connects and migrates at once and fails naming the database. A station uses
 * {@link #openLazily}: nothing is tried at start, and every call connects (and migrates, once) when it is made, failing
 * with an {@link SQLException} while the database is away, so the station starts and inspects without it.
 */
public final class ResultsStore implements AutoCloseable {
    private static final String INSERT = """
            INSERT INTO verdicts (line, station, part_id, seq, recipe, recipe_version, model, result, primary_reason,
              reasons, triggered_at, triggered_ms, decided_at, deadline_at, latency_ms, acquire_ms, rules_ms, model_ms,
              measurements, detections, late_result, archive_path, truth, document)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (line, station, seq) DO NOTHING""";
    /**
     * A late result belongs to the REJECT row of the same part: id and trigger time, since PLC counters wrap and an id
     * comes back (the late result is not numbered, so its seq cannot name the row).
     */
    private static final String LATE = "UPDATE verdicts SET late_result = ? WHERE line = ? AND station = ? AND part_id = ?"
            + " AND triggered_ms = ? AND result = 'REJECT' AND late_result IS NULL";

    private static final String IMAGE = """
            INSERT INTO archive_images (line, station, seq, part_id, state, reason, folder, detail, at_ms, stored_ms)
            VALUES (?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (line, station, seq) DO UPDATE SET part_id = excluded.part_id, state = excluded.state,
              reason = excluded.reason, folder = COALESCE(excluded.folder, archive_images.folder),
              detail = excluded.detail, at_ms = excluded.at_ms,
              stored_ms = COALESCE(excluded.stored_ms, archive_images.stored_ms)""";
    private static final Logger log = LoggerFactory.getLogger(ResultsStore.class);

    private final HikariDataSource pool;
    private final StoreEngine engine;
    /** How long a caller waits while another thread is trying to reach the database. */
    static final long ATTEMPT_WAIT_MS = 3_000;

    private final ReentrantLock migrateLock = new ReentrantLock();
    private volatile boolean migrated;
    private @Nullable SQLException lastFailure; // guarded by migrateLock
    private long lastFailureNanos;
    private final String description;
    private final String line;
    private final String station;
    private final ShiftClock shifts = new ShiftClock(ZoneId.systemDefault());

    private ResultsStore(HikariDataSource pool, StoreEngine engine, String description, String line, String station,
                         boolean migrated) {
        this.pool = pool;
        this.migrated = migrated;
        this.engine = engine;
        this.description = Secrets.redact(description); // JDBC URLs may carry a password
        this.line = line;
        this.station = station;
    }

    /**
     * Opens the store the station config names: {@code storage.jdbcUrl} empty → {@code results.db} in {@code dataDir};
     * a PostgreSQL URL → that database, with {@code storage.username} and the password from {@code storage.passwordFile}
     * (relative to {@code configDir}) or the {@code LINESIGHT_DB_PASSWORD} environment variable. Migrates the schema.
     *
     * @throws IOException naming the database when it cannot be reached or migrated
     */
    public static ResultsStore open(StorageConfig cfg, Path dataDir, String line, String station, @Nullable Path configDir)
            throws IOException {
        return open(cfg, dataDir, line, station, configDir, false);
    }

    /**
     * As {@link #open}, but nothing is connected or migrated yet: the first call that needs the database does it, and
     * fails with an {@link SQLException} (never blocking longer than the pool's 2 s connection timeout) while the
     * database is away. Only what is wrong in the configuration itself (the URL's engine, an unreadable password file)
     * fails here.
     *
     * @throws IOException naming the setting that is wrong
     */
    public static ResultsStore openLazily(StorageConfig cfg, Path dataDir, String line, String station,
                                          @Nullable Path configDir) throws IOException {
        return open(cfg, dataDir, line, station, configDir, true);
    }

    private static ResultsStore open(StorageConfig cfg, Path dataDir, String line, String station,
                                     @Nullable Path configDir, boolean lazily) throws IOException {
        if (cfg.jdbcUrl() == null || cfg.jdbcUrl().isBlank()) {
            Files.createDirectories(dataDir);
            return openSqliteUrl("jdbc:sqlite:" + dataDir.resolve("results.db").toAbsolutePath(), line, station, lazily);
        }
        StoreEngine engine;
        try {
            engine = StoreEngine.of(cfg.jdbcUrl());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (engine == StoreEngine.SQLITE) {
            return openSqliteUrl(cfg.jdbcUrl(), line, station, lazily);
        }
        HikariConfig hc = poolConfig("results-pg", 4, lazily);
        hc.setJdbcUrl(cfg.jdbcUrl());
        if (cfg.username() != null) {
            hc.setUsername(cfg.username());
        }
        String password = password(cfg, configDir);
        if (password != null) {
            hc.setPassword(password);
        }
        return start(hc, StoreEngine.POSTGRESQL, cfg.jdbcUrl(), line, station, lazily);
    }

    /** Opens (creating and migrating) {@code results.db} in {@code dataDir}. */
    public static ResultsStore openSqlite(Path dataDir, String line, String station) throws IOException {
        Files.createDirectories(dataDir);
        return openSqliteUrl("jdbc:sqlite:" + dataDir.resolve("results.db").toAbsolutePath(), line, station, false);
    }

    private static ResultsStore openSqliteUrl(String url, String line, String station, boolean lazily)
            throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: the WAL is forced at every commit, so a committed batch survives a power cut and the spool's position
        // (forced after the commit) can never be ahead of the database. NORMAL would leave the last commits to the
        // next checkpoint. The cost is one fsync per batch of up to 256 rows (docs/RELIABILITY.md).
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        // One writer and a few readers: WAL lets the HMI and reports read while the writer commits.
        HikariConfig hc = poolConfig("results-sqlite", 3, lazily);
        hc.setDataSource(ds);
        return start(hc, StoreEngine.SQLITE, url, line, station, lazily);
    }

    private static HikariConfig poolConfig(String name, int size, boolean lazily) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(false);
        // A database that is down must fail a batch quickly, so the writer spools instead of waiting.
        hc.setConnectionTimeout(2_000);
        hc.setValidationTimeout(1_000);
        // lazily: the pool starts without a connection and connects when one is asked for
        hc.setInitializationFailTimeout(lazily ? -1 : 1);
        hc.setMinimumIdle(lazily ? 0 : 1);
        return hc;
    }

    private static ResultsStore start(HikariConfig hc, StoreEngine engine, String url, String line, String station,
                                      boolean lazily) throws IOException {
        if (lazily) {
            return new ResultsStore(new HikariDataSource(hc), engine, url, line, station, false);
        }
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(hc);
            Flyway.configure().dataSource(pool).locations(engine.migrations()).load().migrate();
            return new ResultsStore(pool, engine, url, line, station, true);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IOException(Secrets.redact("cannot open results database " + url + ": " + e.getMessage()
                    + (root != e ? " (" + root.getMessage() + ")" : "")), e);
        }
    }

    /**
     * A pooled connection to a migrated database: the first call after {@link #openLazily} migrates. While one thread
     * tries to reach the database, others wait for it at most {@link #ATTEMPT_WAIT_MS}; a try that failed within the
     * last second is not repeated for them. Fails with an {@link SQLException} that names the database while it cannot
     * be reached.
     *
     * <p>Connections are not auto-commit: every use ends with commit or rollback, and a read commits only after its
     * result sets are closed. SQLite keeps the read snapshot of a statement still open across a commit, into the
     * transaction the driver begins next, so a pooled connection committed with a result set open would answer every
     * later borrower from that old snapshot: a count taken before the writer's last batch, for instance.
     */
    Connection connection() throws SQLException {
        if (!migrated) {
            migrateOnce();
        }
        return pool.getConnection();
    }

    private void migrateOnce() throws SQLException {
        boolean locked;
        try {
            locked = migrateLock.tryLock(ATTEMPT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("results database " + description + ": interrupted", "08001", e);
        }
        if (!locked) {
            throw new SQLTransientConnectionException("results database " + description + " not available: still "
                    + "trying to reach it", "08001");
        }
        try {
            if (migrated) {
                return;
            }
            SQLException last = lastFailure;
            if (last != null && System.nanoTime() - lastFailureNanos < TimeUnit.SECONDS.toNanos(1)) {
                throw new SQLTransientConnectionException(last.getMessage(), "08001", last);
            }
            try {
                migrateNow();
                lastFailure = null;
            } catch (SQLException e) {
                lastFailure = e;
                lastFailureNanos = System.nanoTime();
                throw e;
            }
        } finally {
            migrateLock.unlock();
        }
    }

    private void migrateNow() throws SQLException {
        try {
            Flyway.configure().dataSource(pool).locations(engine.migrations()).load().migrate();
            migrated = true;
            log.atInfo().setMessage("results database open").addKeyValue("db", description).log();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new SQLTransientConnectionException("results database " + description + " not available: "
                    + e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : ""), "08001", e);
        }
    }

    /** Whether the database was reached and migrated since this store was opened. */
    public boolean opened() {
        return migrated;
    }

    static @Nullable String password(StorageConfig cfg, @Nullable Path configDir) throws IOException {
        if (cfg.passwordFile() != null) {
            Path file = configDir == null ? Path.of(cfg.passwordFile()) : configDir.resolve(cfg.passwordFile());
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IOException("storage.passwordFile: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return System.getenv("LINESIGHT_DB_PASSWORD");
    }

    /** Writes a batch in one transaction. Late results update the row of the verdict that was sent. */
    public void write(List<StoreWriter.Entry> batch) throws SQLException {
        writeRows(batch.stream().map(e -> VerdictRow.of(e, line, station)).toList());
    }

    /**
     * Writes rows in one transaction; rows already stored (same line, station, seq) are skipped, so a batch may be
     * written twice. Shift counters count the rows that were new. Returns how many verdict rows were inserted.
     */
    public int writeRows(List<VerdictRow> rows) throws SQLException {
        return writeRecords(List.copyOf(rows));
    }

    /**
     * Writes spool records in one transaction: verdict rows as {@link #writeRows} does, image records as the last
     * word on their part's images (in the order given). Returns how many verdict rows were inserted.
     */
    public int writeRecords(List<SpoolRecord> records) throws SQLException {
        List<VerdictRow> rows = new ArrayList<>(records.size());
        List<ImageRecord> images = new ArrayList<>();
        for (SpoolRecord r : records) {
            switch (r) {
                case VerdictRow v -> rows.add(v);
                case ImageRecord i -> images.add(i);
            }
        }
        try (Connection c = connection()) {
            try {
                int inserted = rows.isEmpty() ? 0 : writeRows(c, rows);
                if (!images.isEmpty()) {
                    writeImages(c, images);
                }
                c.commit();
                return inserted;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                if (StoreFailure.of(e) == StoreFailure.UNAVAILABLE) {
                    // SQLite rolls a transaction back by itself on FULL or IOERR, and the driver's connection no
                    // longer knows whether it is in one: the next user would fail on commit. A fresh one, please.
                    pool.evictConnection(c);
                }
                throw e;
            }
        }
    }

    /** Rolls back after {@code cause}; a connection that is gone cannot, and must not hide the first error. */
    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private int writeRows(Connection c, List<VerdictRow> rows) throws SQLException {
        List<VerdictRow> inserts = new ArrayList<>(rows.size());
        try (PreparedStatement insert = c.prepareStatement(INSERT); PreparedStatement late = c.prepareStatement(LATE)) {
            for (VerdictRow r : rows) {
                if (r.late()) {
                    late.setString(1, r.lateResult());
                    late.setString(2, r.line());
                    late.setString(3, r.station());
                    late.setString(4, r.partId());
                    late.setLong(5, r.triggeredMs());
                    late.addBatch();
                    continue;
                }
                inserts.add(r);
                bind(insert, r);
                insert.addBatch();
            }
            int[] counts = inserts.isEmpty() ? new int[0] : insert.executeBatch();
            late.executeBatch();
            Rollups rollups = new Rollups(shifts);
            for (int k = 0; k < inserts.size(); k++) {
                // SUCCESS_NO_INFO (-2) would mean "inserted, count unknown"; 0 is a duplicate skipped by ON CONFLICT.
                if (counts[k] != 0) {
                    rollups.add(inserts.get(k));
                }
            }
            rollups.flush(c);
            return rollups.rows();
        }
    }

    private static void writeImages(Connection c, List<ImageRecord> images) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(IMAGE)) {
            for (ImageRecord r : images) {
                ps.setString(1, r.line());
                ps.setString(2, r.station());
                ps.setLong(3, r.seq());
                ps.setString(4, r.partId());
                ps.setString(5, r.state());
                ps.setString(6, r.reason());
                ps.setString(7, r.folder());
                ps.setString(8, r.detail());
                ps.setLong(9, r.atMs());
                if ("STORED".equals(r.state())) {
                    ps.setLong(10, r.atMs());
                } else {
                    ps.setNull(10, Types.BIGINT);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, VerdictRow r) throws SQLException {
        ps.setString(1, r.line());
        ps.setString(2, r.station());
        ps.setString(3, r.partId());
        ps.setLong(4, r.seq());
        ps.setString(5, r.recipe());
        ps.setInt(6, r.recipeVersion());
        ps.setString(7, r.model());
        ps.setString(8, r.result());
        ps.setString(9, r.primaryReason());
        ps.setString(10, r.reasons());
        ps.setString(11, r.triggeredAt());
        ps.setLong(12, r.triggeredMs());
        ps.setString(13, r.decidedAt());
        ps.setString(14, r.deadlineAt());
        ps.setDouble(15, r.latencyMs());
        ps.setDouble(16, r.acquireMs());
        ps.setDouble(17, r.rulesMs());
        ps.setDouble(18, r.modelMs());
        ps.setString(19, r.measurements());
        ps.setString(20, r.detections());
        ps.setString(21, r.lateResult());
        ps.setString(22, r.archivePath());
        ps.setString(23, r.truth());
        ps.setString(24, r.document());
    }

    /** Whether the database answers now (a connection from the pool that is valid within a second). */
    public boolean reachable() {
        try (Connection c = connection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The highest seq this station ever stored, 0 when none: the PLC link continues from there after a restart. */
    public long lastSeq() throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM verdicts WHERE line = ? AND station = ?")) {
            ps.setString(1, line);
            ps.setString(2, station);
            long v;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                v = rs.getLong(1);
            }
            c.commit(); // after the result set is closed: see connection()
            return v;
        }
    }

    /** Row count, for summaries and tests. */
    public long count() throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            long v;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM verdicts")) {
                rs.next();
                v = rs.getLong(1);
            }
            c.commit();
            return v;
        }
    }

    /** Records an alarm of this station as raised at {@code raised}; returns its id. */
    public long raiseAlarm(String code, String source, String detail, Instant raised) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alarms (line, station, code, source, detail, raised_ms) VALUES (?,?,?,?,?,?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, line);
            ps.setString(2, station);
            ps.setString(3, code);
            ps.setString(4, source);
            ps.setString(5, detail);
            ps.setLong(6, raised.toEpochMilli());
            ps.executeUpdate();
            long id;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            c.commit();
            return id;
        }
    }

    /** Marks an alarm acknowledged by {@code who} (first acknowledgement wins). */
    public void acknowledgeAlarm(long id, String who, Instant at) throws SQLException {
        update("UPDATE alarms SET acknowledged_ms = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_ms IS NULL",
                at.toEpochMilli(), who, id);
    }

    /** Marks an alarm cleared (the condition is gone). */
    public void clearAlarm(long id, Instant at) throws SQLException {
        update("UPDATE alarms SET cleared_ms = ? WHERE id = ? AND cleared_ms IS NULL", at.toEpochMilli(), id);
    }

    /**
     * Appends a record to this station's audit trail and commits it before returning: an action is audited before it
     * counts as done, so a caller that gets the exception must not do the action.
     *
     * @return the record's id
     * @throws SQLException when the database cannot take it (the caller fails the action and says so)
     */
    public long audit(String who, String action, String subject, @Nullable String before, @Nullable String after,
                      Instant at) throws SQLException {
        try (Connection c = connection()) {
            try {
                long id = insertAudit(c, who, action, subject, before, after, at);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private long insertAudit(Connection c, String who, String action, String subject, @Nullable String before,
                             @Nullable String after, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (line, station, at, at_ms, who, action, "
                + "subject, before, after) VALUES (?,?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, line);
            ps.setString(2, station);
            ps.setString(3, at.toString());
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, who);
            ps.setString(6, action);
            ps.setString(7, subject);
            ps.setString(8, before);
            ps.setString(9, after);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * This station's audit trail in {@code [from, to)}, newest first, at most {@code limit} records (records written
     * in the same millisecond come newest id first).
     */
    public List<AuditRecord> auditTrail(Instant from, Instant to, int limit) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("audit trail limit must be at least 1, not " + limit);
        }
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, at_ms, who, action, subject, before, after FROM audit
                WHERE line = ? AND station = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms DESC, id DESC LIMIT ?""")) {
            ps.setString(1, line);
            ps.setString(2, station);
            ps.setLong(3, from.toEpochMilli());
            ps.setLong(4, to.toEpochMilli());
            ps.setInt(5, limit);
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            c.commit();
            return out;
        }
    }

    /**
     * Acknowledges an alarm of this station and writes the {@code alarm-ack} audit record in the same transaction:
     * either both happen or neither. An alarm acknowledged already (or not this station's) is left as it is and not
     * audited again.
     *
     * @return whether this call acknowledged it
     */
    public boolean acknowledgeAlarmAudited(long id, String who, Instant at) throws SQLException {
        try (Connection c = connection()) {
            try {
                @Nullable String what;
                try (PreparedStatement ps = c.prepareStatement("SELECT code, source, detail FROM alarms WHERE id = ? "
                        + "AND line = ? AND station = ? AND acknowledged_ms IS NULL")) {
                    ps.setLong(1, id);
                    ps.setString(2, line);
                    ps.setString(3, station);
                    try (ResultSet rs = ps.executeQuery()) {
                        what = rs.next() ? rs.getString(1) + " " + rs.getString(2) + ": " + rs.getString(3) : null;
                    }
                }
                if (what == null) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE alarms SET acknowledged_ms = ?, acknowledged_by = ?"
                        + " WHERE id = ? AND acknowledged_ms IS NULL")) {
                    ps.setLong(1, at.toEpochMilli());
                    ps.setString(2, who);
                    ps.setLong(3, id);
                    if (ps.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                insertAudit(c, who, "alarm-ack", "alarm " + id, what, "acknowledged", at);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** This station's alarms that are not cleared, oldest first. */
    public List<OpenAlarm> openAlarms() throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, code, source, detail, raised_ms, acknowledged_by FROM alarms
                WHERE line = ? AND station = ? AND cleared_ms IS NULL ORDER BY raised_ms, id""")) {
            ps.setString(1, line);
            ps.setString(2, station);
            List<OpenAlarm> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OpenAlarm(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6)));
                }
            }
            c.commit();
            return out;
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < args.length; k++) {
                ps.setObject(k + 1, args[k]);
            }
            ps.executeUpdate();
            c.commit();
        }
    }

    /** The read side: the queries the HMI and the reports need. */
    public ResultQueries queries() {
        return new ResultQueries(this::connection, engine);
    }

    public StoreEngine engine() {
        return engine;
    }

    /** The database, for messages: the JDBC URL (never with a password). */
    public String description() {
        return description;
    }

    public String line() {
        return line;
    }

    public String station() {
        return station;
    }

    DataSource dataSource() {
        return pool;
    }

    /**
     * Replaces every pooled connection (idle ones now, busy ones when they come back). Called when the database takes
     * writes again after an outage, so that no connection that lived through it (a full disk, an I/O error, a server
     * restart) serves anyone afterwards. A reader once counted 0 rows here after 1,500 were committed through another
     * connection; that was a read committing with its result set open (see {@link #connection()}), now closed first.
     */
    void renewConnections() {
        var bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
