/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.config.station.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Generates N parts (and their hourly rollups) on a throw-away PostgreSQL (started like the tests start it) and times the HMI/report queries
 * over a shift and a day of them. Not a test: run by hand, figures go to docs/BENCHMARKS.md.
 *
 * <pre>java -cp &lt;test class path&gt; io.linesight.station.store.StoreQueryBench 10000000</pre>
 *
 * Data: parts spread evenly over 60 days (10 M parts ≈ 1.9 parts/s), 4 stations, 2 recipes × 3 versions, 5 % rejects
 * (3 % defects with one or two detections, 1 % rule failures, 1 % timeouts), latencies 20–120 ms.
 */
final class StoreQueryBench {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final long SPAN_MS = Duration.ofDays(60).toMillis();

    private StoreQueryBench() {
    }

    public static void main(String[] args) throws Exception {
        long parts = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        try (PostgresServer pg = PostgresServer.start("bench")) {
            Path cfg = Files.createTempDirectory("linesight-bench");
            Files.writeString(cfg.resolve("pw"), PostgresServer.PASSWORD);
            try (ResultsStore store = ResultsStore.open(new StorageConfig(pg.jdbcUrl(), PostgresServer.USER, "pw", 1, 1),
                    cfg, "l1", "s0", cfg)) {
                long t = System.nanoTime();
                generate(store, parts);
                System.out.printf(Locale.ROOT, "generated %,d parts in %.0f s (incl. VACUUM ANALYZE)%n", parts,
                        (System.nanoTime() - t) / 1e9);
                measure(store, parts);
            }
        }
    }

    private static void generate(ResultsStore store, long parts) throws Exception {
        double step = (double) SPAN_MS / parts;
        String sql = """
                INSERT INTO verdicts (line, station, part_id, seq, recipe, recipe_version, model, result, primary_reason,
                  reasons, triggered_at, triggered_ms, decided_at, deadline_at, latency_ms, acquire_ms, rules_ms, model_ms,
                  measurements, detections, truth)
                SELECT 'l1', 's' || (g % 4), 'P' || lpad(g::text, 9, '0'), g,
                  CASE WHEN g % 7 = 0 THEN 'housing' ELSE 'bracket' END, 1 + (g / 1000000) % 3, 'yolo11n.onnx#9f2c41',
                  CASE WHEN r < 0.05 THEN 'REJECT' ELSE 'PASS' END,
                  CASE WHEN r < 0.03 THEN 'DEFECT_DETECTED' WHEN r < 0.04 THEN 'RULE_FAILED' WHEN r < 0.05 THEN 'TIMEOUT'
                    ELSE 'NONE' END,
                  CASE WHEN r < 0.05 THEN '[{"code":"DEFECT_DETECTED","source":"model","detail":""}]' ELSE '[]' END,
                  '', ? + (g * ?)::bigint, '', '', 20 + 100 * random(), 5, 3, 12,
                  '[{"rule":"hole","shot":"top","pass":true,"values":[{"name":"diameter","value":4.02,"unit":"mm"}]}]',
                  CASE WHEN r < 0.015 THEN '[{"shot":"top","class":"scratch","score":0.91,"box":[10,20,30,40]}]'
                       WHEN r < 0.025 THEN '[{"shot":"top","class":"dent","score":0.88,"box":[50,60,70,80]}]'
                       WHEN r < 0.03 THEN '[{"shot":"top","class":"scratch","score":0.8,"box":[1,2,3,4]},'
                         || '{"shot":"top","class":"crack","score":0.7,"box":[5,6,7,8]}]'
                       ELSE '[]' END, '[]'
                FROM (SELECT g, random() AS r FROM generate_series(?::bigint, ?::bigint) g) s""";
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            long chunk = 1_000_000;
            for (long a = 1; a <= parts; a += chunk) {
                long b = Math.min(parts, a + chunk - 1);
                ps.setLong(1, T0.toEpochMilli());
                ps.setDouble(2, step);
                ps.setLong(3, a);
                ps.setLong(4, b);
                long t = System.nanoTime();
                ps.executeUpdate();
                c.commit();
                System.out.printf(Locale.ROOT, "  rows %,d..%,d in %.1f s%n", a, b, (System.nanoTime() - t) / 1e9);
            }
            // The rollups the station keeps row by row, filled here in one go by the same SQL the migration uses.
            long t = System.nanoTime();
            String v3;
            try (var in = StoreQueryBench.class.getResourceAsStream("/db/migration/postgresql/V3__hourly_rollups.sql")) {
                v3 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            try (Statement s = c.createStatement()) {
                for (String stmt : v3.split(";")) {
                    String sqlText = stmt.strip();
                    if (sqlText.startsWith("INSERT INTO hourly_")) {
                        s.execute(sqlText + " ON CONFLICT DO NOTHING");
                    }
                }
            }
            c.commit();
            System.out.printf(Locale.ROOT, "  rollups in %.1f s%n", (System.nanoTime() - t) / 1e9);
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }
    }

    private static void measure(ResultsStore store, long parts) throws Exception {
        ResultQueries q = store.queries();
        Instant dayFrom = T0.plus(Duration.ofDays(30));
        Instant dayTo = dayFrom.plus(Duration.ofDays(1));
        Instant shiftTo = dayFrom.plus(Duration.ofHours(8));
        System.out.printf(Locale.ROOT, "%n| query | range | rows in range | median ms | max ms |%n|---|---|---|---|---|%n");
        long perDay = parts * Duration.ofDays(1).toMillis() / SPAN_MS;
        String day = "24 h";
        String shift = "8 h";
        time("yieldByHour", shift, perDay / 3, () -> q.yieldByHour(dayFrom, shiftTo));
        time("yieldByHour", day, perDay, () -> q.yieldByHour(dayFrom, dayTo));
        time("paretoByReason", day, perDay, () -> q.paretoByReason(dayFrom, dayTo));
        time("paretoByClass", day, perDay, () -> q.paretoByClass(dayFrom, dayTo));
        time("latencyPercentiles", shift, perDay / 3, () -> q.latencyPercentiles(dayFrom, shiftTo));
        time("latencyPercentiles", day, perDay, () -> q.latencyPercentiles(dayFrom, dayTo));
        time("partsByRecipe", day, perDay, () -> q.partsByRecipe(dayFrom, dayTo));
        long[] k = {0};
        time("findPart", "all", parts, () -> q.findPart("P%09d".formatted(1 + (k[0]++ * 7_919_993L) % parts)));
        // Ranges that do not start on the hour: the partial first and last hours are read from the rows.
        Instant oddFrom = dayFrom.plus(Duration.ofMinutes(37));
        Instant oddTo = dayTo.plus(Duration.ofMinutes(23));
        time("yieldByHour", "24 h, not on the hour", perDay, () -> q.yieldByHour(oddFrom, oddTo));
        time("paretoByClass", "24 h, not on the hour", perDay, () -> q.paretoByClass(oddFrom, oddTo));
        time("latencyPercentiles", "24 h, not on the hour", perDay, () -> q.latencyPercentiles(oddFrom, oddTo));
        Instant weekTo = dayFrom.plus(Duration.ofDays(7));
        time("yieldByHour", "7 days", perDay * 7, () -> q.yieldByHour(dayFrom, weekTo));
        time("latencyPercentiles", "7 days", perDay * 7, () -> q.latencyPercentiles(dayFrom, weekTo));
        time("paretoByReason", "60 days (all)", parts, () -> q.paretoByReason(T0, T0.plus(Duration.ofDays(60))));
    }

    private static void time(String name, String range, long rows, Callable<?> query) throws Exception {
        query.call(); // warm: plan cache, pages in memory
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            query.call();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.1f | %.1f |%n", name, range, rows, ms[ms.length / 2],
                ms[ms.length - 1]);
    }
}
