/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static io.linesight.station.store.Parts.entry;
import static io.linesight.station.store.Parts.pass;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The results writer as a process of its own, for {@link SpoolPowerCutIT}: opens (or reopens) the store and spool in a
 * data folder (replaying what its spool holds), submits {@code rows} results continuing the seq, three at a time,
 * notes each seq in {@code appended.log} once {@code submit} returned (the station's promise: from here the result is
 * kept), waits until the database has everything, and exits 0. Halted on purpose by {@code -Dlinesight.store.haltAt=step#n}.
 *
 * <pre>java -cp &lt;test class path&gt; io.linesight.station.store.SpoolCrashChild DATA_DIR ROWS</pre>
 */
final class SpoolCrashChild {
    static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");
    /** Small segments, so that rotation and segment deletion happen within a few dozen rows. */
    static final long ROTATE_BYTES = 2048;

    private SpoolCrashChild() {
    }

    private static void drained(StoreWriter writer) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while ((writer.pending() > 0 || writer.status().replaying()) && System.nanoTime() < until) {
            Thread.sleep(2);
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        try (ResultsStore store = ResultsStore.openSqlite(data, "l1", "s1");
             StoreWriter writer = new StoreWriter(store, new Spool(data.resolve("spool"), 1L << 30, ROTATE_BYTES));
             Writer appended = Files.newBufferedWriter(data.resolve("appended.log"), StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            long first = writer.lastSeq() + 1;
            for (int k = 0; k < rows; k++) {
                long seq = first + k;
                writer.submit(entry(pass("C" + seq, seq, T0.plusMillis(seq), 5, "bracket@1")));
                appended.write(seq + "\n");
                appended.flush();
                if (k % 3 == 2) {
                    drained(writer); // small batches, so that segments rotate and go within a few dozen rows
                }
            }
            drained(writer);
        }
        System.exit(0);
    }
}
