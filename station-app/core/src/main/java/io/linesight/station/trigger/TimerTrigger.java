/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.trigger;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Triggers parts at a fixed rate, for the demo and for commissioning without a PLC. Part ids are
 * {@code T<start time>-<n>}, distinct across runs. Runs on its own thread ("timer-trigger").
 */
public final class TimerTrigger implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final AtomicLong count = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private final String prefix;

    /** Starts triggering {@code partId → sink} at {@code rateHz}; stops by itself after {@code maxParts} (0: never). */
    public TimerTrigger(double rateHz, long maxParts, Consumer<String> sink) {
        this.prefix = "T" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-";
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "timer-trigger");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        long periodNanos = Math.max(1, Math.round(1e9 / rateHz));
        executor.scheduleAtFixedRate(() -> {
            long n = count.incrementAndGet();
            if (maxParts > 0 && n > maxParts) {
                done.countDown();
                executor.shutdown();
                return;
            }
            sink.accept(prefix + String.format("%06d", n));
            if (maxParts > 0 && n == maxParts) {
                done.countDown();
                executor.shutdown();
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Waits until the last part was triggered. */
    public void awaitDone() throws InterruptedException {
        done.await();
    }

    public long triggered() {
        return Math.min(count.get(), Long.MAX_VALUE);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        done.countDown();
    }
}
