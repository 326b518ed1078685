/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters that grow with each new verdict row, summed per batch and added in the batch's transaction: parts per
 * shift, and the hourly rollups the queries read ({@code hourly_parts}, {@code hourly_classes},
 * {@code hourly_latency}). Only rows that were really inserted are counted, so a replayed batch adds nothing.
 */
final class Rollups {
    static final long HOUR_MS = 3_600_000L;
    static final int MAX_BUCKET = 600_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SHIFT = """
            INSERT INTO shift_counters (line, station, shift_start_ms, recipe, parts, passed, rejected, timeouts)
            VALUES (?,?,?,?,?,?,?,?)
            ON CONFLICT (line, station, shift_start_ms, recipe) DO UPDATE SET
              parts = shift_counters.parts + excluded.parts, passed = shift_counters.passed + excluded.passed,
              rejected = shift_counters.rejected + excluded.rejected, timeouts = shift_counters.timeouts + excluded.timeouts""";
    private static final String PARTS = """
            INSERT INTO hourly_parts (line, station, hour_ms, recipe, recipe_version, result, primary_reason, parts)
            VALUES (?,?,?,?,?,?,?,?)
            ON CONFLICT (hour_ms, line, station, recipe, recipe_version, result, primary_reason)
            DO UPDATE SET parts = hourly_parts.parts + excluded.parts""";
    private static final String CLASSES = """
            INSERT INTO hourly_classes (line, station, hour_ms, class, detections) VALUES (?,?,?,?,?)
            ON CONFLICT (hour_ms, line, station, class) DO UPDATE SET detections = hourly_classes.detections + excluded.detections""";
    private static final String LATENCY = """
            INSERT INTO hourly_latency (line, station, hour_ms, bucket, parts) VALUES (?,?,?,?,?)
            ON CONFLICT (hour_ms, line, station, bucket) DO UPDATE SET parts = hourly_latency.parts + excluded.parts""";

    private final ShiftClock shifts;
    private final Map<List<Object>, long[]> perShift = new LinkedHashMap<>();
    private final Map<List<Object>, long[]> parts = new LinkedHashMap<>();
    private final Map<List<Object>, long[]> classes = new LinkedHashMap<>();
    private final Map<List<Object>, long[]> latency = new LinkedHashMap<>();
    private int rows;

    Rollups(ShiftClock shifts) {
        this.shifts = shifts;
    }

    static int bucket(double latencyMs) {
        return (int) Math.floor(Math.min(Math.max(latencyMs, 0), MAX_BUCKET));
    }

    /** Counts one newly inserted row. */
    void add(VerdictRow r) {
        rows++;
        long[] n = perShift.computeIfAbsent(List.of(r.line(), r.station(), shifts.shiftStart(r.triggeredMs()),
                r.recipe() + "@" + r.recipeVersion()), k -> new long[4]);
        n[0]++;
        n[r.passed() ? 1 : 2]++;
        if ("TIMEOUT".equals(r.primaryReason())) {
            n[3]++;
        }
        long hour = Math.floorDiv(r.triggeredMs(), HOUR_MS) * HOUR_MS;
        parts.computeIfAbsent(List.of(r.line(), r.station(), hour, r.recipe(), r.recipeVersion(), r.result(),
                r.primaryReason()), k -> new long[1])[0]++;
        latency.computeIfAbsent(List.of(r.line(), r.station(), hour, bucket(r.latencyMs())), k -> new long[1])[0]++;
        if (!r.passed() && !"[]".equals(r.detections())) {
            try {
                for (JsonNode d : JSON.readTree(r.detections())) {
                    classes.computeIfAbsent(List.of(r.line(), r.station(), hour, d.path("class").asText()),
                            k -> new long[1])[0]++;
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("detections of part " + r.partId() + " are not JSON: " + e.getMessage(), e);
            }
        }
    }

    int rows() {
        return rows;
    }

    void flush(Connection c) throws SQLException {
        upsert(c, SHIFT, perShift);
        upsert(c, PARTS, parts);
        upsert(c, CLASSES, classes);
        upsert(c, LATENCY, latency);
    }

    private static void upsert(Connection c, String sql, Map<List<Object>, long[]> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<List<Object>, long[]> e : counts.entrySet()) {
                int k = 1;
                for (Object key : e.getKey()) {
                    ps.setObject(k++, key);
                }
                for (long v : e.getValue()) {
                    ps.setLong(k++, v);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
