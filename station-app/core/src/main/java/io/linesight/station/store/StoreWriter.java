/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.station.archive.ImageFate;
import io.linesight.station.result.Inspection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * Writes results off the inspection path, and loses none of them when the database is slow, down, full, or the
 * process dies.
 *
 * <p>{@link #submit} (any thread, never blocks on the database) turns the result into its row and appends it as one
 * JSON line to the on-disk {@link Spool}; the "store-writer" thread forces the spool (group commit: every line within
 * one pass of the thread), reads it in order and writes batches of up to 256 rows, one transaction each, then moves
 * the spool's position past them. Rows stay on the spool until the database has committed them: when it is
 * unavailable ({@link StoreFailure#UNAVAILABLE}: down, full, read-only, I/O errors) the writer retries with backoff and
 * {@link #status()} says so. Rows the database refuses for what they contain go to {@value #REJECTED} beside the spool,
 * forced, before the position moves past them; spool lines that are not rows are quarantined the same way.
 *
 * <p>Nothing is replayed at construction: what an earlier run left on the spool is written by the writer thread in the
 * background ({@link Status#replaying()}, logged every 10 s), so a large spool or a database that is down never holds
 * up the station's start. {@link #lastSeq()} still knows the highest seq it holds.
 *
 * <p>If the spool itself refuses (disk full, over its bound) results are held in memory (bounded), put back on the
 * spool as soon as it takes them, or written directly; beyond that they are counted in {@link Status#lost()} and
 * logged as errors.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private volatile io.linesight.station.timing.@org.jspecify.annotations.Nullable StageTimes stages;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 256;
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Rows the database refused for their content, beside the spool. */
    static final String REJECTED = "rejected.jsonl";

    /** One queued write. {@code late}: update the sent verdict's row with the late result. */
    public record Entry(Inspection inspection, boolean late, @Nullable String archivePath) {
    }

    /**
     * What the writer can say about itself, for the alarm, the diagnostics screen and the report.
     *
     * @param opened      the database was reached (and migrated) since start
     * @param failing     the database is not taking writes now (or the spool refuses them)
     * @param error       why, while failing
     * @param spooled     results on the spool, not yet in the database
     * @param inMemory    results the spool refused, held in memory (lost if the process dies)
     * @param written     verdict rows written since start
     * @param refused     rows the database refused for their content, kept in {@value #REJECTED}
     * @param quarantined spool lines that were not rows, kept under {@code quarantine/}
     * @param lost        results neither spooled nor held: not stored
     * @param replayTotal results an earlier run left on the spool
     * @param replayDone  of those, written since start
     */
    public record Status(boolean opened, boolean failing, @Nullable String error, long spooled, long inMemory,
                         long written, long refused, long quarantined, long lost, long replayTotal, long replayDone) {
        public static final Status NONE = new Status(true, false, null, 0, 0, 0, 0, 0, 0, 0, 0);

        /** Whether rows an earlier run left on the spool are still being written. */
        public boolean replaying() {
            return replayDone < replayTotal;
        }
    }

    private final ResultsStore store;
    private final Spool spool;
    /** Results the spool refused, held until it takes them again or the database does; bounded. */
    private final BlockingQueue<byte[]> unspooled;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final long replayTotal;
    private final long startNanos = System.nanoTime();
    private volatile long replayDone;
    private volatile boolean running = true;
    private volatile boolean failing;
    private volatile @Nullable String outageError;
    private volatile long closeBy = Long.MAX_VALUE;
    private long outageSince;
    private long nextProgressLog = System.nanoTime() + PROGRESS_NANOS;

    /**
     * Opens the spool in {@code spoolDir} and starts the writer thread, which first writes what an earlier run left on
     * the spool. Never touches the database here.
     *
     * @param maxSpoolBytes how much the spool may hold that is not yet in the database
     * @throws IOException when the spool folder cannot be used
     */
    public StoreWriter(ResultsStore store, Path spoolDir, long maxSpoolBytes) throws IOException {
        this(store, new Spool(spoolDir, maxSpoolBytes));
    }

    /** With a spool of its own making (tests: small segments). */
    StoreWriter(ResultsStore store, Spool spool) {
        this(store, spool, 100_000);
    }

    /** @param memoryRows results held in memory while the spool refuses them; past that they are lost (counted) */
    StoreWriter(ResultsStore store, Spool spool, int memoryRows) {
        this.store = store;
        this.spool = spool;
        this.unspooled = new ArrayBlockingQueue<>(memoryRows);
        Path spoolDir = spool.dir();
        this.replayTotal = spool.pendingLines();
        this.replayDone = 0;
        if (replayTotal > 0) {
            log.atInfo().setMessage("results spool to replay, in the background").addKeyValue("rows", replayTotal)
                    .addKeyValue("bytes", spool.pendingBytes()).addKeyValue("dir", spoolDir).log();
        }
        this.thread = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::loop);
        this.thread.setUncaughtExceptionHandler((t, e) -> log.atError().setMessage("store writer died").setCause(e).log());
        this.thread.start();
    }

    /** Queues a result for the database. Never blocks on the database; costs one JSON encoding and one file write. */
    public void submit(Entry e) {
        VerdictRow row = VerdictRow.of(e, store.line(), store.station());
        append(row, row.partId(), row.seq());
    }

    /** Queues what became of a part's images. Any thread; never blocks on the database. */
    public void submit(ImageFate fate) {
        append(ImageRecord.of(fate, store.line(), store.station()), fate.partId(), fate.seq());
    }

    private void append(SpoolRecord record, String partId, long seq) {
        byte[] line = json(record);
        if (!spool.append(line)) {
            failing = true;
            if (!unspooled.offer(line)) {
                lost.incrementAndGet();
                log.atError().setMessage("results spool and memory queue full: result not stored")
                        .addKeyValue("partId", partId).addKeyValue("seq", seq).log();
            }
        }
        LockSupport.unpark(thread);
    }

    private static byte[] json(SpoolRecord r) {
        try {
            // written as the interface type, so the line carries its "type"
            return JSON.writerFor(SpoolRecord.class).writeValueAsBytes(r);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("result row not encodable: " + ex.getMessage(), ex);
        }
    }

    /**
     * The highest seq this station decided, as far as the results know it: the database's (if it answers now) or the
     * spool's, whichever is higher. The PLC link continues after it (or after its own journal's, if higher).
     */
    public long lastSeq() {
        long onSpool = spool.maxSeqAtOpen();
        try {
            return Math.max(store.lastSeq(), onSpool);
        } catch (SQLException e) {
            log.atWarn().setMessage("results database not reachable at start; seq continues from the spool and the "
                    + "verdict journal").addKeyValue("db", store.description()).addKeyValue("spoolSeq", onSpool)
                    .addKeyValue("error", e.getMessage()).log();
            return onSpool;
        }
    }

    /** Counts the writer thread's time (spool sync, database batches) into the station's stage timings from now on. */
    public void timeInto(io.linesight.station.timing.StageTimes stages) {
        this.stages = stages;
    }

    private void timed(long fromNanos, long fromCpuNanos) {
        var st = stages;
        if (st != null) {
            st.add(io.linesight.station.timing.StageTimes.Stage.STORE, System.nanoTime() - fromNanos,
                    io.linesight.station.timing.StageTimes.threadCpuNanos() - fromCpuNanos);
        }
    }

    private void loop() {
        long backoffMs = 100;
        while (true) {
            try {
                boolean more = spool.pendingBytes() > 0 || !unspooled.isEmpty();
                if (!running && (!more || failing || System.nanoTime() > closeBy)) {
                    return;
                }
                long busyFrom = System.nanoTime();
                long cpuFrom = io.linesight.station.timing.StageTimes.threadCpuNanos();
                boolean forcing = spool.unforced();
                forceSpool();
                if (!more) {
                    if (forcing) {
                        timed(busyFrom, cpuFrom); // idle polls are not work
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    continue;
                }
                boolean ok;
                long pendingBefore = spool.pendingBytes() + unspooled.size();
                try {
                    ok = respool() && writeOneBatch() && writeUnspooled();
                } catch (RuntimeException | Error e) {
                    // A bug, not an outage: say so, keep the rows (still on the spool) and keep trying.
                    log.atError().setMessage("results batch failed unexpectedly").setCause(e).log();
                    ok = false;
                }
                timed(busyFrom, cpuFrom);
                logProgress();
                if (ok) {
                    backoffMs = 100;
                    if (spool.pendingBytes() + unspooled.size() == pendingBefore) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // nothing moved: never spin
                    }
                } else {
                    waitForcing(backoffMs);
                    backoffMs = Math.min(5_000, backoffMs * 2);
                }
            } catch (RuntimeException | Error e) {
                // Outside a batch (the spool's force or read, the progress line): the thread must not end over it, or
                // nothing would be stored or forced again while every count still looked healthy.
                log.atError().setMessage("results writer failed unexpectedly; going on").setCause(e).log();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }

    /** False once the writer thread has ended while the writer is open: nothing is stored any more. */
    public boolean alive() {
        return !running || thread.isAlive();
    }

    /** Group commit: what was appended since the last pass becomes durable now, whatever the database does. */
    private void forceSpool() {
        if (!spool.unforced()) {
            return;
        }
        try {
            spool.force();
        } catch (IOException e) {
            log.atError().setMessage("results spool not forced to disk").addKeyValue("dir", spool.dir())
                    .addKeyValue("error", e.toString()).log();
        }
    }

    /** Backs off for {@code ms} while still forcing new spool lines every 20 ms. */
    private void waitForcing(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (running && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            forceSpool();
        }
    }

    /** Puts rows held in memory back on the spool while it takes them; false never (what stays is written directly). */
    private boolean respool() {
        byte[] line;
        while ((line = unspooled.peek()) != null && spool.append(line)) {
            unspooled.poll();
        }
        return true;
    }

    /** Writes the next spool batch; false when the database did not take it (the position did not move). */
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
        List<SpoolRecord> records = new ArrayList<>(batch.lines().size());
        List<Spool.Line> bad = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (Spool.Line line : batch.lines()) {
            if (!line.whole()) {
                bad.add(line);
                why.add(line.bytes().length > Spool.MAX_LINE ? "longer than " + Spool.MAX_LINE + " bytes"
                        : "unterminated end of a segment (a write cut off by a crash)");
                continue;
            }
            try {
                records.add(JSON.readValue(line.bytes(), SpoolRecord.class));
            } catch (IOException | RuntimeException e) {
                bad.add(line);
                why.add("not a result row: " + firstLine(e.getMessage()));
            }
        }
        if (!write(records)) {
            return false;
        }
        try {
            for (int k = 0; k < bad.size(); k++) {
                spool.quarantine(bad.get(k), why.get(k));
                quarantined.incrementAndGet();
            }
            spool.commit(batch);
        } catch (IOException e) {
            // The rows are in the database; the batch is read again and its rows skipped as duplicates.
            log.atError().setMessage("spool position not saved; the batch will be read again")
                    .addKeyValue("error", e.toString()).log();
            return false;
        }
        if (replayDone < replayTotal) {
            replayDone = Math.min(replayTotal, replayDone + batch.lines().stream().filter(Spool.Line::whole).count());
            if (replayDone == replayTotal) {
                log.atInfo().setMessage("results spool replayed").addKeyValue("rows", replayTotal)
                        .addKeyValue("seconds", (System.nanoTime() - startNanos) / 1_000_000_000L).log();
            }
        }
        return true;
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void logProgress() {
        long now = System.nanoTime();
        if (now < nextProgressLog) {
            return;
        }
        nextProgressLog = now + PROGRESS_NANOS;
        if (replayDone < replayTotal) {
            log.atInfo().setMessage("replaying results spool").addKeyValue("done", replayDone)
                    .addKeyValue("of", replayTotal).addKeyValue("failing", failing).log();
        } else if (failing) {
            log.atWarn().setMessage("results database still unavailable").addKeyValue("spooled", spool.pendingLines())
                    .addKeyValue("error", outageError).log();
        }
    }

    private boolean writeUnspooled() {
        List<byte[]> lines = new ArrayList<>();
        List<SpoolRecord> rows = new ArrayList<>();
        byte[] line;
        while (rows.size() < BATCH && (line = unspooled.peek()) != null) {
            lines.add(line);
            unspooled.poll();
            try {
                rows.add(JSON.readValue(line, SpoolRecord.class));
            } catch (IOException e) {
                throw new IllegalStateException("a row this writer encoded does not decode", e);
            }
        }
        if (rows.isEmpty()) {
            return true;
        }
        if (!write(rows)) {
            // Back to the front is not possible on a queue; rows go to the back, order within the store is by seq.
            // Results submitted meanwhile may have taken the room these rows left: what no longer fits is lost,
            // and counted like any result the memory could not hold.
            int notHeld = 0;
            for (byte[] l : lines) {
                if (!unspooled.offer(l)) {
                    notHeld++;
                }
            }
            if (notHeld > 0) {
                lost.addAndGet(notHeld);
                log.atError().setMessage("results spool and memory queue full: results of a failed batch not stored")
                        .addKeyValue("rows", notHeld).log();
            }
            return false;
        }
        return true;
    }

    /**
     * One transaction; on a failure that names the rows (not the database being unavailable), row by row so only bad
     * rows are refused. False when the database did not take them and they must stay where they are.
     */
    private boolean write(List<SpoolRecord> rows) {
        if (rows.isEmpty()) {
            return true;
        }
        try {
            written.addAndGet(store.writeRecords(rows));
            CrashPoint.reached("store.commit");
            recovered();
            return true;
        } catch (SQLException | RuntimeException | Error e) {
            // AssertionError: the PostgreSQL driver asserts on a connection that died mid-batch (only with -ea).
            if (StoreFailure.of(e) == StoreFailure.UNAVAILABLE || !store.reachable()) {
                down(e);
                return false;
            }
            if (rows.size() == 1) {
                return refuse(rows.getFirst(), e.getMessage());
            }
            for (SpoolRecord row : rows) {
                if (!write(List.of(row))) {
                    return false;
                }
            }
            return true;
        }
    }

    private void recovered() {
        if (!failing) {
            return;
        }
        failing = false;
        store.renewConnections();
        long since = outageSince;
        log.atWarn().setMessage("results database back, spool draining").addKeyValue("db", store.description())
                .addKeyValue("spooled", spool.pendingLines()).log();
        try {
            String error = outageError;
            long id = store.raiseAlarm("STORE_UNAVAILABLE", "results-store", error == null ? "" : error,
                    Instant.ofEpochMilli(since == 0 ? System.currentTimeMillis() : since));
            store.clearAlarm(id, Instant.now());
        } catch (SQLException e) {
            log.atWarn().setMessage("outage alarm not recorded").addKeyValue("error", e.getMessage()).log();
        }
        outageError = null;
    }

    private void down(Throwable e) {
        if (!failing || outageError == null) {
            outageSince = System.currentTimeMillis();
            log.atError().setMessage("results database unavailable, results kept on the spool")
                    .addKeyValue("db", store.description()).addKeyValue("error", e.getMessage()).log();
        }
        failing = true;
        outageError = e.getMessage();
    }

    /** Keeps a row the database refused in {@value #REJECTED}, forced; false when that failed (do not move past it). */
    private boolean refuse(SpoolRecord row, @Nullable String why) {
        byte[] line = json(row);
        try (FileChannel c = FileChannel.open(spool.dir().resolve(REJECTED), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
            CrashPoint.reached("store.refused");
        } catch (IOException io) {
            log.atError().setMessage("refused result could not be kept; it stays on the spool")
                    .addKeyValue("seq", row.seq()).addKeyValue("error", io.toString()).log();
            return false;
        }
        refused.incrementAndGet();
        log.atError().setMessage("result refused by the database, kept in " + REJECTED).addKeyValue("seq", row.seq())
                .addKeyValue("error", why).log();
        return true;
    }

    /** What the writer can say about itself now. Any thread. */
    public Status status() {
        return new Status(store.opened(), failing, outageError, spool.pendingLines(), unspooled.size(), written.get(),
                refused.get(), quarantined.get(), lost.get(), replayTotal, replayDone);
    }

    /** Verdict rows written to the database since start (replays included). */
    public long written() {
        return written.get();
    }

    /** Results that could be neither spooled nor held in memory: lost, and logged as errors. */
    public long overflow() {
        return lost.get();
    }

    /** Rows the database refused for their content, kept in {@value #REJECTED}. */
    public long refused() {
        return refused.get();
    }

    /** Spool lines that were not rows, kept under {@code quarantine/}. */
    public long quarantined() {
        return quarantined.get();
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
     * for the next start. Rows still held in memory are put on the spool if it takes them now; what it does not take
     * is lost, counted and logged.
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
        respool();
        if (!unspooled.isEmpty()) {
            lost.addAndGet(unspooled.size());
            log.atError().setMessage("results not stored at shutdown: neither the database nor the spool took them")
                    .addKeyValue("rows", unspooled.size()).log();
        }
        forceSpool();
        spool.close();
    }
}
