/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the results store on SQLite should")
class SqliteResultsStoreTest extends ResultsStoreContract {

    @Override
    ResultsStore openEmpty(Path dataDir) throws Exception {
        return ResultsStore.open(new StorageConfig(null, null, null, 2048, 30), dataDir, "l1", "s1", null);
    }

    @Override
    ResultsStore openAgain() throws Exception {
        return ResultsStore.openSqlite(dir.resolve("data"), "l1", "s1");
    }

    @Override
    ResultsStore otherStation() throws Exception {
        return ResultsStore.openSqlite(dir.resolve("data"), "l1", "s2");
    }

    /**
     * Every pooled connection reads what was committed after the store opened: none may keep a read snapshot from the
     * schema migration (a reader stuck on it would answer 0 rows to the HMI and reports for as long as it lives).
     */
    @Test
    void everyPooledReader_seesRowsCommittedAfterTheStoreOpened() throws Exception {
        try (ResultsStore fresh = ResultsStore.openSqlite(dir.resolve("fresh"), "l1", "s1")) {
            // written by another thread, as the results writer does
            CompletableFuture.runAsync(() -> {
                try {
                    fresh.writeRows(List.of(VerdictRow.of(Parts.entry(Parts.pass("P1", 1,
                            Instant.now(), 5, "bracket@1")), "l1", "s1")));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).get();
            // from several threads, so that each of the pool's connections answers at least once
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                var counts = new ArrayList<Future<Long>>();
                for (int k = 0; k < 12; k++) {
                    counts.add(pool.submit(fresh::count));
                }
                counts.add(CompletableFuture.completedFuture(fresh.count()));
                for (var c : counts) {
                    assertThat(c.get()).isEqualTo(1);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /**
     * The spool refuses (a full disk), so results wait in memory; the database is locked by another writer, so the
     * batch the writer took from memory fails after SQLite's busy wait, while new results fill the memory it freed.
     * Each result is then stored, still held, or counted as lost: none may vanish without a count.
     */
    @Test
    void writer_keepsOrCountsEveryResultItHeldInMemory_whenTheirBatchFails() throws Exception {
        Spool refusing = new Spool(dir.resolve("spool"), 1);
        int submitted = 0;
        StoreWriter writer;
        try (java.sql.Connection otherWriter = java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("data").resolve("results.db").toAbsolutePath())) {
            otherWriter.setAutoCommit(false);
            try (java.sql.Statement s = otherWriter.createStatement()) {
                s.execute("CREATE TABLE held_by_another_writer (x INTEGER)"); // holds the write lock until rollback
            }
            writer = new StoreWriter(store, refusing, 8);
            for (int k = 0; k < 8; k++) {
                writer.submit(Parts.entry(Parts.pass("M" + submitted, ++submitted, Instant.now(), 5, "bracket@1")));
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (writer.status().inMemory() > 0 && System.nanoTime() < until) {
                Thread.sleep(5); // the writer takes them into a batch, which waits on the lock
            }
            assertThat(writer.status().inMemory()).isZero();
            for (int k = 0; k < 12; k++) {
                writer.submit(Parts.entry(Parts.pass("M" + submitted, ++submitted, Instant.now(), 5, "bracket@1")));
            }
            while (writer.status().error() == null && System.nanoTime() < until) {
                Thread.sleep(5); // SQLite's busy wait ends: the batch fails, the database counts as unavailable
            }
            assertThat(writer.status().error()).isNotNull();
            otherWriter.rollback();
        }
        writer.close();
        assertThat(store.count() + writer.overflow()).as("stored + counted lost").isEqualTo(submitted);
    }

    @Test
    void emptyJdbcUrl_meansResultsDbInTheDataDirectory() {
        assertThat(store.engine()).isEqualTo(StoreEngine.SQLITE);
        assertThat(Files.exists(dir.resolve("data").resolve("results.db"))).isTrue();
    }
}
