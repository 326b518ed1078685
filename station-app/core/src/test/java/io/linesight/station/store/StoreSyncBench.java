/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static io.linesight.station.store.Parts.entry;
import static io.linesight.station.store.Parts.reject;

import io.linesight.rules.judge.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What SQLite's {@code synchronous=FULL} (the station's setting: a commit is on disk when it returns) costs against
 * {@code NORMAL} (the last commits wait for the next checkpoint), for the results writer's batches: one row per
 * transaction (a quiet line: the writer takes what has arrived, often one part) and 256 (a busy line, or a replay).
 * The two settings alternate in one run, on the same disk. Not a test: run by hand, figures go to
 * docs/RELIABILITY.md.
 *
 * <pre>java -cp &lt;test class path&gt; io.linesight.station.store.StoreSyncBench [DIR]</pre>
 */
final class StoreSyncBench {
    static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");

    private StoreSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("linesight-sync-bench");
        System.out.printf(Locale.ROOT, "%-8s %6s %8s %10s %12s%n", "mode", "batch", "rows", "rows/s", "ms/commit");
        for (int round = 0; round < 3; round++) {
            for (String mode : List.of("FULL", "NORMAL")) {
                run(base.resolve(mode + "-" + round + "-1"), mode, 1, 400);
                run(base.resolve(mode + "-" + round + "-256"), mode, 256, 20_480);
            }
        }
    }

    private static void run(Path dir, String mode, int batch, int rows) throws Exception {
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            List<Connection> all = new ArrayList<>();
            for (int k = 0; k < 3; k++) { // every connection of the pool, so the writer's is among them
                Connection c = store.dataSource().getConnection();
                c.setAutoCommit(true); // SQLite changes the safety level only outside a transaction
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA synchronous=" + mode);
                }
                c.setAutoCommit(false);
                all.add(c);
            }
            for (Connection c : all) {
                c.close();
            }
            List<List<VerdictRow>> batches = new ArrayList<>();
            for (int k = 0; k < rows; k += batch) {
                List<VerdictRow> b = new ArrayList<>();
                for (int j = k; j < Math.min(rows, k + batch); j++) {
                    b.add(VerdictRow.of(entry(reject("B" + j, j + 1, T0.plusMillis(j), 12, "bracket@1",
                            ReasonCode.DEFECT_DETECTED, "scratch")), "l1", "s1"));
                }
                batches.add(b);
            }
            long t = System.nanoTime();
            for (List<VerdictRow> b : batches) {
                store.writeRows(b);
            }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf(Locale.ROOT, "%-8s %6d %8d %10.0f %12.2f%n", mode, batch, rows, rows / s,
                    s * 1000 / batches.size());
        }
    }
}
