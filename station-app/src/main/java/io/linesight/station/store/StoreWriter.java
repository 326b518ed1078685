/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.station.inspect.Inspection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results off the inspection path, and loses none of them when the database is slow, down, or the process
 * dies.
 *
 * <p>{@link #submit} (any thread, never blocks on the database) turns the result into its row and appends it as one
 * JSON line to the on-disk {@link Spool}; the "store-writer" thread reads the spool in order, fsyncs it, and writes
 * batches of up to 256 rows, one transaction each, then moves the spool's position past them. When the database fails,
 * rows stay on the spool (bounded by {@code maxSpoolBytes}) and the writer retries with backoff; {@link #failing()}
 * and {@link #spooled()} are the alarm. At start, whatever a previous process left on the spool is written first,
 * before the station reads its last seq. Rows the database refuses for what they contain (not because it is down)
 * go to {@code rejected.jsonl} beside the spool, with an error, so one bad row cannot stop the rest.
 *
 * <p>If the spool itself refuses (disk full, over its bound) results are held in memory (bounded) and written
 * directly; beyond that they are counted in {@link #overflow()} and logged as errors.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 256;

    /** One queued write. {@code late}: update the sent verdict's row with the late result. */
    public record Entry(Inspection inspection, boolean late, @Nullable String archivePath) {
    }

    private final ResultsStore store;
    private final Spool spool;
    private final BlockingQueue<VerdictRow> unspooled = new ArrayBlockingQueue<>(100_000);
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean failing;
    private volatile long closeBy = Long.MAX_VALUE;
    private long outageSince;
    private @Nullable String outageError;

    /**
     * Opens the spool in {@code spoolDir}, writes what an earlier run left there (as far as the database takes it),
     * and starts the writer thread.
     *
     * @param maxSpoolBytes how much the spool may hold that is not yet in the database
     */
    public StoreWriter(ResultsStore store, Path spoolDir, long maxSpoolBytes) throws IOException {
        this.store = store;
        this.spool = new Spool(spoolDir, maxSpoolBytes);
        long left = spool.pendingLines();
        if (left > 0) {
            log.atInfo().setMessage("replaying results spool").addKeyValue("rows", left).addKeyValue("dir", spoolDir).log();
            while (spool.pendingLines() > 0 && writeOneBatch()) {
                // keep going while the database takes them
            }
            if (spool.pendingLines() > 0) {
                log.atWarn().setMessage("results spool not fully replayed, database unavailable")
                        .addKeyValue("rows", spool.pendingLines()).log();
            }
        }
        this.thread = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::loop);
        this.thread.setUncaughtExceptionHandler((t, e) -> log.atError().setMessage("store writer died").setCause(e).log());
        this.thread.start();
    }

    /** Queues a result for the database. Never blocks on the database; costs one JSON encoding and one file write. */
    public void submit(Entry e) {
        VerdictRow row = VerdictRow.of(e, store.line(), store.station());
        if (!spool.append(json(row).getBytes(StandardCharsets.UTF_8))) {
            failing = true;
            if (!unspooled.offer(row)) {
                overflow.incrementAndGet();
                log.atError().setMessage("results spool and memory queue full: result not stored")
                        .addKeyValue("partId", row.partId()).addKeyValue("seq", row.seq()).log();
            }
        }
        LockSupport.unpark(thread);
    }

    private static String json(VerdictRow row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("result row not encodable: " + ex.getMessage(), ex);
        }
    }

    private void loop() {
        long backoffMs = 100;
        while (true) {
            boolean more = spool.pendingLines() > 0 || !unspooled.isEmpty();
            if (!running && (!more || failing || System.nanoTime() > closeBy)) {
                return;
            }
            if (!more) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            boolean ok;
            try {
                ok = writeOneBatch() && writeUnspooled();
            } catch (RuntimeException e) {
                // A bug, not an outage: say so, keep the rows (still on the spool) and keep trying.
                log.atError().setMessage("results batch failed unexpectedly").setCause(e).log();
                ok = false;
            }
            if (ok) {
                backoffMs = 100;
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }

    /** Writes the next spool batch; false when the database did not take it. */
    private boolean writeOneBatch() {
        Spool.Batch batch;
        try {
            batch = spool.read(BATCH);
            if (batch.isEmpty()) {
                return true;
            }
            spool.force();
        } catch (IOException e) {
            log.atError().setMessage("results spool unreadable").addKeyValue("dir", spool.dir())
                    .addKeyValue("error", e.toString()).log();
            return false;
        }
        List<VerdictRow> rows = new ArrayList<>(batch.lines().size());
        for (byte[] line : batch.lines()) {
            try {
                rows.add(JSON.readValue(line, VerdictRow.class));
            } catch (IOException e) {
                refuse(new String(line, StandardCharsets.UTF_8), "unreadable spool line: " + e.getMessage());
            }
        }
        if (!write(rows)) {
            return false;
        }
        try {
            spool.commit(batch);
        } catch (IOException e) {
            // The rows are in the database; at worst they are replayed once more and skipped as duplicates.
            log.atWarn().setMessage("spool position not saved").addKeyValue("error", e.toString()).log();
        }
        return true;
    }

    private boolean writeUnspooled() {
        List<VerdictRow> rows = new ArrayList<>();
        VerdictRow r;
        while (rows.size() < BATCH && (r = unspooled.peek()) != null) {
            rows.add(r);
            unspooled.poll();
        }
        if (rows.isEmpty()) {
            return true;
        }
        if (!write(rows)) {
            // Back to the front is not possible on a queue; rows go to the back, order within the store is by seq.
            rows.forEach(unspooled::offer);
            return false;
        }
        return true;
    }

    /** One transaction; on a failure that is not the database being away, row by row so only bad rows are refused. */
    private boolean write(List<VerdictRow> rows) {
        if (rows.isEmpty()) {
            return true;
        }
        try {
            store.writeRows(rows);
            recovered(rows.size());
            return true;
        } catch (SQLException | RuntimeException | AssertionError e) {
            // AssertionError: the PostgreSQL driver asserts on a connection that died mid-batch (only with -ea).
            if (unavailable(e) || !store.reachable()) {
                down(e, rows.size());
                return false;
            }
            if (rows.size() == 1) {
                refuse(json(rows.getFirst()), e.getMessage());
                return true;
            }
            for (VerdictRow row : rows) {
                if (!write(List.of(row))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Whether the failure says the database is away or busy rather than refusing these rows: connection errors
     * (SQLState 08…), server shutting down or out of resources (57…, 53…), and SQLite's BUSY/LOCKED.
     */
    static boolean unavailable(Throwable e) {
        for (Throwable s : e.getSuppressed()) {
            if (unavailable(s)) {
                return true;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57") || state.startsWith("53"))) {
                    return true;
                }
                String m = String.valueOf(s.getMessage());
                if (m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void recovered(int rows) {
        written.addAndGet(rows);
        if (!failing) {
            return;
        }
        failing = false;
        long since = outageSince;
        log.atWarn().setMessage("results database back, spool draining").addKeyValue("db", store.description())
                .addKeyValue("spooled", spool.pendingLines()).log();
        try {
            long id = store.raiseAlarm("STORE_UNAVAILABLE", "results-store",
                    outageError == null ? "" : outageError, Instant.ofEpochMilli(since));
            store.clearAlarm(id, Instant.now());
        } catch (SQLException e) {
            log.atWarn().setMessage("outage alarm not recorded").addKeyValue("error", e.getMessage()).log();
        }
    }

    private void down(Throwable e, int rows) {
        if (!failing) {
            failing = true;
            outageSince = System.currentTimeMillis();
            outageError = e.getMessage();
            log.atError().setMessage("results database unavailable, results kept on the spool")
                    .addKeyValue("db", store.description()).addKeyValue("rows", rows)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    private void refuse(String row, @Nullable String why) {
        refused.incrementAndGet();
        log.atError().setMessage("result refused by the database, kept in rejected.jsonl").addKeyValue("error", why).log();
        try {
            Files.writeString(spool.dir().resolve("rejected.jsonl"), row + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException io) {
            log.atError().setMessage("refused result could not be kept").addKeyValue("row", row).log();
        }
    }

    /** Verdict rows written to the database since start (replays included). */
    public long written() {
        return written.get();
    }

    /** Results that could be neither spooled nor held in memory: lost, and logged as errors. */
    public long overflow() {
        return overflow.get();
    }

    /** Rows the database refused for their content, kept in {@code rejected.jsonl}. */
    public long refused() {
        return refused.get();
    }

    /** The database is not taking writes (or the spool is refusing them): show it as an alarm. */
    public boolean failing() {
        return failing;
    }

    /** Results waiting on the on-disk spool for the database. */
    public long spooled() {
        return spool.pendingLines();
    }

    /** Results not yet in the database. */
    public int pending() {
        return (int) Math.min(Integer.MAX_VALUE, spool.pendingLines() + unspooled.size());
    }

    /**
     * Writes what is waiting (up to 30 s) unless the database is failing, then stops; the rest stays on the spool
     * for the next start.
     */
    @Override
    public void close() {
        closeBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(35_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!unspooled.isEmpty()) {
            log.atError().setMessage("results not stored at shutdown").addKeyValue("rows", unspooled.size()).log();
        }
        spool.close();
    }
}
