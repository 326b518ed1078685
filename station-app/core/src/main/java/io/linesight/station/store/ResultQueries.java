/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The questions the HMI and the reports ask the results store, over a time range {@code [from, to)} of trigger times
 * and every station in the database (one for SQLite, the plant for PostgreSQL). The range aggregates read the whole
 * hours of a range from the hourly rollups and only its partial first and last hour from the verdict rows (covering
 * index {@code verdicts_time_cover}), so they stay fast over any number of parts. Safe to call from any thread; each
 * query takes a pooled connection for its duration.
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

    /**
     * One stored verdict, as {@code ./station archive --part} prints it.
     *
     * @param archivePath the folder the archive was asked to keep the images in (null: the policy did not keep them)
     * @param images      what became of them, or null when the archive has not said (yet)
     */
    public record PartRecord(String line, String station, String partId, long seq, String recipe, int version,
                             String model, String result, String reasons, Instant triggeredAt, double latencyMs,
                             @Nullable String lateResult, @Nullable String archivePath, @Nullable Images images) {
    }

    /**
     * The last word on a part's images.
     *
     * @param state    STORED, DROPPED or DELETED
     * @param reason   why dropped or deleted ({@code io.linesight.station.archive.ImageFate.Reason}), empty if stored
     * @param storedAt when they were stored, null if never
     */
    public record Images(String state, String reason, @Nullable String folder, String detail, Instant at,
                         @Nullable Instant storedAt) {
    }

    /**
     * What the image archive did in a range: parts stored, and parts dropped or deleted per reason.
     *
     * @param dropped reason → parts (QUEUE_FULL, DISK_FULL, IO_ERROR, SHUTDOWN)
     * @param deleted reason → parts (RETENTION, QUOTA)
     */
    public record ArchiveCounts(long stored, Map<String, Long> dropped, Map<String, Long> deleted) {
        public long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Hands out a connection to the migrated database, or fails saying why it cannot. */
    @FunctionalInterface
    interface Connections {
        Connection get() throws SQLException;
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

    private final Connections ds;
    private final StoreEngine engine;

    ResultQueries(Connections ds, StoreEngine engine) {
        this.ds = ds;
        this.engine = engine;
    }

    /**
     * A range cut into whole UTC hours, read from the rollups, and the partial hours at its ends, read from the
     * verdict rows (covering index): exact, and fast whatever the range.
     */
    private record Split(Instant headFrom, Instant headTo, Instant hoursFrom, Instant hoursTo, Instant tailFrom,
                         Instant tailTo) {
        static Split of(Instant from, Instant to) {
            long h = Rollups.HOUR_MS;
            long first = Math.floorDiv(from.toEpochMilli() + h - 1, h) * h;
            long last = Math.floorDiv(to.toEpochMilli(), h) * h;
            if (first >= last) {
                return new Split(from, to, to, to, to, to);
            }
            Instant a = Instant.ofEpochMilli(first);
            Instant b = Instant.ofEpochMilli(last);
            return new Split(from, a, a, b, b, to);
        }
    }

    /** Parts and passes per hour, hours without parts left out, oldest first. */
    public List<HourYield> yieldByHour(Instant from, Instant to) throws SQLException {
        Split s = Split.of(from, to);
        String raw = """
                SELECT triggered_ms / 3600000 * 3600000 AS h, COUNT(*), SUM(CASE WHEN result = 'PASS' THEN 1 ELSE 0 END)
                FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ? GROUP BY triggered_ms / 3600000 ORDER BY h""";
        RowMapper<HourYield> m = rs -> new HourYield(Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2), rs.getLong(3));
        List<HourYield> out = new ArrayList<>(ranged(raw, s.headFrom(), s.headTo(), m));
        out.addAll(ranged("""
                SELECT hour_ms, SUM(parts), SUM(CASE WHEN result = 'PASS' THEN parts ELSE 0 END)
                FROM hourly_parts WHERE hour_ms >= ? AND hour_ms < ? GROUP BY hour_ms ORDER BY hour_ms""",
                s.hoursFrom(), s.hoursTo(), m));
        out.addAll(ranged(raw, s.tailFrom(), s.tailTo(), m));
        return out;
    }

    /** Rejected parts per primary reason code, most frequent first. */
    public List<Count> paretoByReason(Instant from, Instant to) throws SQLException {
        Split s = Split.of(from, to);
        String raw = """
                SELECT primary_reason, COUNT(*) FROM verdicts
                WHERE triggered_ms >= ? AND triggered_ms < ? AND result = 'REJECT' GROUP BY primary_reason""";
        RowMapper<Count> m = rs -> new Count(rs.getString(1), rs.getLong(2));
        List<Count> all = new ArrayList<>(ranged(raw, s.headFrom(), s.headTo(), m));
        all.addAll(ranged("""
                SELECT primary_reason, SUM(parts) FROM hourly_parts
                WHERE hour_ms >= ? AND hour_ms < ? AND result = 'REJECT' GROUP BY primary_reason""",
                s.hoursFrom(), s.hoursTo(), m));
        all.addAll(ranged(raw, s.tailFrom(), s.tailTo(), m));
        return merge(all);
    }

    /** Detections on rejected parts per class name, most frequent first. */
    public List<Count> paretoByClass(Instant from, Instant to) throws SQLException {
        Split s = Split.of(from, to);
        String raw = engine == StoreEngine.POSTGRESQL ? """
                SELECT d ->> 'class' AS cls, COUNT(*)
                FROM verdicts v CROSS JOIN LATERAL jsonb_array_elements(v.detections::jsonb) d
                WHERE v.result = 'REJECT' AND v.triggered_ms >= ? AND v.triggered_ms < ? AND v.detections <> '[]'
                GROUP BY cls""" : """
                SELECT json_extract(d.value, '$.class') AS cls, COUNT(*)
                FROM verdicts v, json_each(v.detections) d
                WHERE v.result = 'REJECT' AND v.triggered_ms >= ? AND v.triggered_ms < ? AND v.detections <> '[]'
                GROUP BY cls""";
        RowMapper<Count> m = rs -> new Count(rs.getString(1), rs.getLong(2));
        List<Count> all = new ArrayList<>(ranged(raw, s.headFrom(), s.headTo(), m));
        all.addAll(ranged("SELECT class, SUM(detections) FROM hourly_classes WHERE hour_ms >= ? AND hour_ms < ? GROUP BY class",
                s.hoursFrom(), s.hoursTo(), m));
        all.addAll(ranged(raw, s.tailFrom(), s.tailTo(), m));
        return merge(all);
    }

    private static List<Count> merge(List<Count> counts) {
        Map<String, Long> sum = new HashMap<>();
        counts.forEach(c -> sum.merge(c.key(), c.count(), Long::sum));
        return sum.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::key)).toList();
    }

    /**
     * Latency percentiles, nearest rank over a histogram of 1 ms buckets (each value is the bucket's lower bound, so
     * a figure is at most 1 ms below the exact one).
     */
    public Latency latencyPercentiles(Instant from, Instant to) throws SQLException {
        Split s = Split.of(from, to);
        TreeMap<Integer, Long> hist = new TreeMap<>();
        String raw = "SELECT latency_ms FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ?";
        for (Instant[] edge : new Instant[][] {{s.headFrom(), s.headTo()}, {s.tailFrom(), s.tailTo()}}) {
            for (Double v : ranged(raw, edge[0], edge[1], rs -> rs.getDouble(1))) {
                hist.merge(Rollups.bucket(v), 1L, Long::sum);
            }
        }
        for (long[] b : ranged("""
                SELECT bucket, SUM(parts) FROM hourly_latency WHERE hour_ms >= ? AND hour_ms < ? GROUP BY bucket""",
                s.hoursFrom(), s.hoursTo(), rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
            hist.merge((int) b[0], b[1], Long::sum);
        }
        long n = hist.values().stream().mapToLong(Long::longValue).sum();
        if (n == 0) {
            return new Latency(0, 0, 0, 0, 0);
        }
        return new Latency(n, rank(hist, n, 0.5), rank(hist, n, 0.9), rank(hist, n, 0.99), hist.lastKey());
    }

    private static double rank(TreeMap<Integer, Long> hist, long n, double p) {
        long want = Math.max(1, (long) Math.ceil(p * n));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : hist.entrySet()) {
            seen += e.getValue();
            if (seen >= want) {
                return e.getKey();
            }
        }
        return hist.lastKey();
    }

    /** Parts per recipe version, most parts first. */
    public List<RecipeParts> partsByRecipe(Instant from, Instant to) throws SQLException {
        Split s = Split.of(from, to);
        String raw = """
                SELECT recipe, recipe_version, COUNT(*), SUM(CASE WHEN result = 'PASS' THEN 1 ELSE 0 END)
                FROM verdicts WHERE triggered_ms >= ? AND triggered_ms < ? GROUP BY recipe, recipe_version""";
        RowMapper<RecipeParts> m = rs -> new RecipeParts(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4));
        List<RecipeParts> all = new ArrayList<>(ranged(raw, s.headFrom(), s.headTo(), m));
        all.addAll(ranged("""
                SELECT recipe, recipe_version, SUM(parts), SUM(CASE WHEN result = 'PASS' THEN parts ELSE 0 END)
                FROM hourly_parts WHERE hour_ms >= ? AND hour_ms < ? GROUP BY recipe, recipe_version""",
                s.hoursFrom(), s.hoursTo(), m));
        all.addAll(ranged(raw, s.tailFrom(), s.tailTo(), m));
        Map<List<Object>, long[]> sum = new HashMap<>();
        for (RecipeParts r : all) {
            long[] v = sum.computeIfAbsent(List.of(r.recipe(), r.version()), k -> new long[2]);
            v[0] += r.parts();
            v[1] += r.passed();
        }
        return sum.entrySet().stream()
                .map(e -> new RecipeParts((String) e.getKey().get(0), (Integer) e.getKey().get(1), e.getValue()[0],
                        e.getValue()[1]))
                .sorted(Comparator.comparingLong(RecipeParts::parts).reversed().thenComparing(RecipeParts::recipe)
                        .thenComparingInt(RecipeParts::version)).toList();
    }

    /** Every stored verdict for a part id (a part can pass more than one station), oldest first. */
    public List<PartRecord> findPart(String partId) throws SQLException {
        try (Connection c = ds.get(); PreparedStatement ps = c.prepareStatement("""
                SELECT v.line, v.station, v.part_id, v.seq, v.recipe, v.recipe_version, v.model, v.result, v.reasons,
                  v.triggered_ms, v.latency_ms, v.late_result, v.archive_path,
                  a.state, a.reason, a.folder, a.detail, a.at_ms, a.stored_ms
                FROM verdicts v LEFT JOIN archive_images a ON a.line = v.line AND a.station = v.station AND a.seq = v.seq
                WHERE v.part_id = ? ORDER BY v.triggered_ms, v.line, v.station, v.seq""")) {
            ps.setString(1, partId);
            List<PartRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Images images = null;
                    if (rs.getString(14) != null) {
                        Long stored = nullableLong(rs, 19);
                        images = new Images(rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17),
                                Instant.ofEpochMilli(rs.getLong(18)), stored == null ? null : Instant.ofEpochMilli(stored));
                    }
                    out.add(new PartRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            Instant.ofEpochMilli(rs.getLong(10)), rs.getDouble(11), rs.getString(12), rs.getString(13),
                            images));
                }
            }
            c.commit();
            return out;
        }
    }

    /** Parts whose images were stored, dropped or deleted in the range (by when it happened), every station. */
    public ArchiveCounts archive(Instant from, Instant to) throws SQLException {
        long stored = query("SELECT COUNT(*) FROM archive_images WHERE stored_ms >= ? AND stored_ms < ?", from, to,
                rs -> rs.getLong(1)).getFirst();
        Map<String, Long> dropped = new TreeMap<>();
        Map<String, Long> deleted = new TreeMap<>();
        for (Object[] r : query("""
                SELECT state, reason, COUNT(*) FROM archive_images
                WHERE at_ms >= ? AND at_ms < ? AND state <> 'STORED' GROUP BY state, reason""", from, to,
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)})) {
            ("DROPPED".equals(r[0]) ? dropped : deleted).merge((String) r[1], (Long) r[2], Long::sum);
        }
        return new ArchiveCounts(stored, dropped, deleted);
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
        try (Connection c = ds.get(); PreparedStatement ps = c.prepareStatement("SELECT MAX(triggered_ms) FROM verdicts")) {
            long v;
            boolean none;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                v = rs.getLong(1);
                none = rs.wasNull();
            }
            c.commit(); // after the result set is closed (ResultsStore.connection says why)
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

    /** A range query; an empty range (an edge of a split range that is not there) costs no round trip. */
    private <T> List<T> ranged(String sql, Instant a, Instant b, RowMapper<T> mapper) throws SQLException {
        return a.isBefore(b) ? query(sql, a, b, mapper) : List.of();
    }

    private <T> List<T> query(String sql, Instant a, Instant b, RowMapper<T> mapper) throws SQLException {
        try (Connection c = ds.get(); PreparedStatement ps = c.prepareStatement(sql)) {
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
