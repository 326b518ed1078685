/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.station.inspect.Inspection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results off the inspection path: decisions are queued ({@link #submit} never blocks) and one thread
 * ("store-writer") writes them in batches of up to 256, one transaction each. A failed batch is retried with backoff,
 * never dropped. If the queue itself fills (the database has been unreachable for a long time) the overflow is
 * counted and logged as an error.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

    /** One queued write. {@code late}: update the sent verdict's row with the late result. */
    public record Entry(Inspection inspection, boolean late, @Nullable String archivePath) {
    }

    private final ResultsStore store;
    private final BlockingQueue<Entry> queue;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean failing;

    public StoreWriter(ResultsStore store, int capacity) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::loop);
        this.thread.start();
    }

    public void submit(Entry e) {
        if (!queue.offer(e)) {
            overflow.incrementAndGet();
            log.atError().setMessage("results queue full: result not stored").addKeyValue("partId", e.inspection().part().partId())
                    .log();
        }
    }

    private void loop() {
        List<Entry> batch = new ArrayList<>(256);
        long backoffMs = 100;
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 255);
                }
                store.write(batch);
                written.addAndGet(batch.stream().filter(e -> !e.late()).count());
                batch.clear();
                backoffMs = 100;
                failing = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                failing = true;
                log.atError().setMessage("results batch not written, will retry").addKeyValue("rows", batch.size())
                        .addKeyValue("error", e.getMessage()).log();
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(5000, backoffMs * 2);
            }
        }
    }

    public long written() {
        return written.get();
    }

    public long overflow() {
        return overflow.get();
    }

    public boolean failing() {
        return failing;
    }

    public int pending() {
        return queue.size();
    }

    /** Writes what is queued (up to 30 s), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
