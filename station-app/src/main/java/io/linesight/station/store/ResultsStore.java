/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.station.inspect.Inspection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The results database: one row per verdict. SQLite in WAL mode under the data directory by default; the schema is
 * migrated with Flyway at open. Writes come from one thread (the {@link StoreWriter}); each batch is one
 * transaction, so a crash loses at most the batch in flight and never leaves half a row.
 */
public final class ResultsStore implements AutoCloseable {
    private static final String INSERT = """
            INSERT INTO verdicts (line, station, part_id, seq, recipe, recipe_version, model, result, primary_reason,
              reasons, triggered_at, triggered_ms, decided_at, deadline_at, latency_ms, acquire_ms, rules_ms, model_ms,
              measurements, detections, late_result, archive_path, truth)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""";

    private final Connection connection;
    private final String line;
    private final String station;

    private ResultsStore(Connection connection, String line, String station) {
        this.connection = connection;
        this.line = line;
        this.station = station;
    }

    /** Opens (creating and migrating) {@code results.db} in {@code dataDir}. */
    public static ResultsStore openSqlite(Path dataDir, String line, String station) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("results.db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
            Connection c = ds.getConnection();
            c.setAutoCommit(false);
            return new ResultsStore(c, line, station);
        } catch (SQLException | RuntimeException e) {
            throw new IOException("cannot open results database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a batch in one transaction. Late results update the row of the verdict that was sent. */
    public void write(List<StoreWriter.Entry> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
             PreparedStatement late = connection.prepareStatement(
                     "UPDATE verdicts SET late_result = ? WHERE line = ? AND station = ? AND part_id = ? AND result = 'REJECT'"
                             + " AND late_result IS NULL")) {
            for (StoreWriter.Entry e : batch) {
                Inspection i = e.inspection();
                if (e.late()) {
                    late.setString(1, ResultJson.verdict(i.lateVerdict()));
                    late.setString(2, line);
                    late.setString(3, station);
                    late.setString(4, i.part().partId());
                    late.addBatch();
                    continue;
                }
                int at = i.recipe().lastIndexOf('@');
                insert.setString(1, line);
                insert.setString(2, station);
                insert.setString(3, i.part().partId());
                insert.setLong(4, i.seq());
                insert.setString(5, at > 0 ? i.recipe().substring(0, at) : i.recipe());
                insert.setInt(6, at > 0 ? Integer.parseInt(i.recipe().substring(at + 1)) : 0);
                insert.setString(7, i.model());
                insert.setString(8, i.verdict().passed() ? "PASS" : "REJECT");
                insert.setString(9, i.verdict().primaryCode().name());
                insert.setString(10, ResultJson.reasons(i.verdict().reasons()));
                insert.setString(11, i.part().triggeredAt().toString());
                insert.setLong(12, i.part().triggeredAt().toEpochMilli());
                insert.setString(13, i.decidedAt().toString());
                insert.setString(14, i.part().deadlineAt().toString());
                insert.setDouble(15, i.timings().totalNanos() / 1e6);
                insert.setDouble(16, i.timings().acquireNanos() / 1e6);
                insert.setDouble(17, i.timings().rulesNanos() / 1e6);
                insert.setDouble(18, i.timings().modelNanos() / 1e6);
                insert.setString(19, ResultJson.measurements(i.rules()));
                insert.setString(20, ResultJson.detections(i.detections()));
                insert.setString(21, null);
                insert.setString(22, e.archivePath());
                insert.setString(23, ResultJson.truth(i.truth()));
                insert.addBatch();
            }
            insert.executeBatch();
            late.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The highest seq this station ever stored, 0 when none: the PLC link continues from there after a restart. */
    public long lastSeq() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM verdicts WHERE line = ? AND station = ?")) {
            ps.setString(1, line);
            ps.setString(2, station);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                connection.commit();
                return v;
            }
        }
    }

    /** Row count, for summaries and tests. */
    public long count() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM verdicts")) {
            rs.next();
            long v = rs.getLong(1);
            connection.commit();
            return v;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do; the WAL is consistent on its own
        }
    }
}
