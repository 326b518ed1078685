/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The questions the HMI and the reports ask the results store, over a time range {@code [from, to)} of trigger times
 * and every station in the database (one for SQLite, the plant for PostgreSQL). The range aggregates read the covering
 * index {@code verdicts_time_cover} only; Pareto by class reads the rejected rows' detections. Safe to call from any
 * thread; each call takes a pooled connection for its duration.
 */
public final class ResultQueries {

    /** Parts decided in one hour (wall clock, UTC hour boundaries). */
    public record HourYield(Instant hour, long parts, long passed) {
        public long rejected() {
            return parts - passed;
        }

        public double yield() {
            return parts == 0 ? 0 : (double) passed / parts;
        }
    }

    /** A bar of a Pareto chart: a reason code or defect class and how often it occurred. */
    public record Count(String key, long count) {
    }

    /** Latency from trigger to verdict over the range, in ms. */
    public record Latency(long parts, double p50, double p90, double p99, double max) {
    }

    /** Parts per recipe version. */
    public record RecipeParts(String recipe, int version, long parts, long passed) {
        public long rejected() {
            return parts - passed;
        }
    }

    /** One stored verdict, as {@code ./station archive --part} prints it. */
    public record PartRecord(String line, String station, String partId, long seq, String recipe, int version,
                             String model, String result, String reasons, Instant triggeredAt, double latencyMs,
                             @Nullable String lateResult, @Nullable String archivePath) {
    }

    /** An alarm with its times; {@code clearedMs} is null while it is still active. */
    public record Alarm(String line, String station, String code, String source, String detail, long raisedMs,
                        @Nullable Long acknowledgedMs, @Nullable String acknowledgedBy, @Nullable Long clearedMs) {
        /** How long the alarm overlapped {@code [from, to)} (still active alarms count until {@code to}). */
        public long overlapMs(Instant from, Instant to) {
            long end = clearedMs == null ? to.toEpochMilli() : Math.min(clearedMs, to.toEpochMilli());
            return Math.max(0, end - Math.max(raisedMs, from.toEpochMilli()));
        }
    }

    private final DataSource ds;
    private final StoreEngine engine;

    ResultQueries(DataSource ds, StoreEngine engine) {
        this.ds = ds;
        this.engine = engine;
    }

    /** Parts and passes per hour, hours without parts left out, oldest first. */
    public List<HourYield> yieldByHour(Instant from, Instant to) throws SQLException {
        return query("""
                SELECT triggered_ms / 3600000 AS h, COUNT(*), SUM(CASE WHEN result = 'PASS' THEN 1 ELSE 0 END)
                FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ? GROUP BY triggered_ms / 3600000 ORDER BY h""",
                from, to, rs -> new HourYield(Instant.ofEpochMilli(rs.getLong(1) * 3_600_000L), rs.getLong(2), rs.getLong(3)));
    }

    /** Rejected parts per primary reason code, most frequent first. */
    public List<Count> paretoByReason(Instant from, Instant to) throws SQLException {
        return query("""
                SELECT primary_reason, COUNT(*) AS n FROM verdicts
                WHERE triggered_ms >= ? AND triggered_ms < ? AND result = 'REJECT'
                GROUP BY primary_reason ORDER BY n DESC, primary_reason""",
                from, to, rs -> new Count(rs.getString(1), rs.getLong(2)));
    }

    /** Detections on rejected parts per class name, most frequent first. */
    public List<Count> paretoByClass(Instant from, Instant to) throws SQLException {
        String sql = engine == StoreEngine.POSTGRESQL ? """
                SELECT d ->> 'class' AS cls, COUNT(*) AS n
                FROM verdicts v CROSS JOIN LATERAL jsonb_array_elements(v.detections::jsonb) d
                WHERE v.result = 'REJECT' AND v.triggered_ms >= ? AND v.triggered_ms < ? AND v.detections <> '[]'
                GROUP BY cls ORDER BY n DESC, cls""" : """
                SELECT json_extract(d.value, '$.class') AS cls, COUNT(*) AS n
                FROM verdicts v, json_each(v.detections) d
                WHERE v.result = 'REJECT' AND v.triggered_ms >= ? AND v.triggered_ms < ? AND v.detections <> '[]'
                GROUP BY cls ORDER BY n DESC, cls""";
        return query(sql, from, to, rs -> new Count(rs.getString(1), rs.getLong(2)));
    }

    /** Latency percentiles (nearest-rank on SQLite, interpolated on PostgreSQL; equal on large ranges). */
    public Latency latencyPercentiles(Instant from, Instant to) throws SQLException {
        if (engine == StoreEngine.POSTGRESQL) {
            return query("""
                    SELECT COUNT(*), percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY latency_ms),
                      MAX(latency_ms)
                    FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ?""", from, to, rs -> {
                        long n = rs.getLong(1);
                        if (n == 0) {
                            return new Latency(0, 0, 0, 0, 0);
                        }
                        Double[] p = (Double[]) rs.getArray(2).getArray();
                        return new Latency(n, p[0], p[1], p[2], rs.getDouble(3));
                    }).getFirst();
        }
        // SQLite has no percentile function: read the latencies (index only) and sort them here.
        double[] v = new double[1024];
        int n = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT latency_ms FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ?")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == v.length) {
                        v = Arrays.copyOf(v, n * 2);
                    }
                    v[n++] = rs.getDouble(1);
                }
            }
            c.commit();
        }
        if (n == 0) {
            return new Latency(0, 0, 0, 0, 0);
        }
        Arrays.sort(v, 0, n);
        return new Latency(n, rank(v, n, 0.5), rank(v, n, 0.9), rank(v, n, 0.99), v[n - 1]);
    }

    private static double rank(double[] sorted, int n, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * n) - 1)];
    }

    /** Parts per recipe version, most parts first. */
    public List<RecipeParts> partsByRecipe(Instant from, Instant to) throws SQLException {
        return query("""
                SELECT recipe, recipe_version, COUNT(*) AS n, SUM(CASE WHEN result = 'PASS' THEN 1 ELSE 0 END)
                FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ?
                GROUP BY recipe, recipe_version ORDER BY n DESC, recipe, recipe_version""",
                from, to, rs -> new RecipeParts(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
    }

    /** Every stored verdict for a part id (a part can pass more than one station), oldest first. */
    public List<PartRecord> findPart(String partId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT line, station, part_id, seq, recipe, recipe_version, model, result, reasons, triggered_ms,
                  latency_ms, late_result, archive_path
                FROM verdicts WHERE part_id = ? ORDER BY triggered_ms, line, station, seq""")) {
            ps.setString(1, partId);
            List<PartRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PartRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            Instant.ofEpochMilli(rs.getLong(10)), rs.getDouble(11), rs.getString(12), rs.getString(13)));
                }
            }
            c.commit();
            return out;
        }
    }

    /** Alarms active at any time in the range, oldest first. */
    public List<Alarm> alarms(Instant from, Instant to) throws SQLException {
        return query("""
                SELECT line, station, code, source, detail, raised_ms, acknowledged_ms, acknowledged_by, cleared_ms
                FROM alarms WHERE raised_ms < ? AND (cleared_ms IS NULL OR cleared_ms >= ?) ORDER BY raised_ms, id""",
                to, from, rs -> new Alarm(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), nullableLong(rs, 7), rs.getString(8), nullableLong(rs, 9)));
    }

    /** The newest trigger time stored, if any. */
    public Optional<Instant> newest() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(triggered_ms) FROM verdicts"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            boolean none = rs.wasNull();
            c.commit();
            return none ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
        }
    }

    private static @Nullable Long nullableLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Instant a, Instant b, RowMapper<T> mapper) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a.toEpochMilli());
            ps.setLong(2, b.toEpochMilli());
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            c.commit();
            return out;
        }
    }
}
