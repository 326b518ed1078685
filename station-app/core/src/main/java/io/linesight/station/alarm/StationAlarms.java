/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.alarm;

import io.linesight.station.store.ResultsStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's alarms, kept by the station itself whatever screens are attached: once a second its own thread asks
 * the station what is wrong ({@link Signs}), turns that into conditions ({@link AlarmWatch}) and records them in the
 * results store ({@link AlarmBook}), so the alarm history that reports and screens read exists with or without an
 * HMI. Screens read {@link #banner()} from any thread; nothing here blocks them on the database.
 */
public final class StationAlarms implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StationAlarms.class);

    /**
     * What the station shows now, read on the alarm thread.
     *
     * @param brokerConnected the PLC link has its broker
     * @param health          each device's health ({@code ok} or why not)
     * @param timeouts        TIMEOUT rejects since start
     * @param signs           the rest: journal, model provider, results store, archive
     */
    public record Signs(boolean brokerConnected, Map<String, String> health, long timeouts,
                        AlarmWatch.StationSigns signs) {
    }

    private final AlarmWatch watch = new AlarmWatch();
    private final AlarmBook book;
    private final Supplier<Signs> station;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "station-alarms");
        t.setDaemon(true);
        return t;
    });
    private volatile List<AlarmWatch.Condition> now = List.of();

    /** @param station what the station shows now; called on the alarm thread only */
    public StationAlarms(ResultsStore store, Supplier<Signs> station) {
        this.book = new AlarmBook(store);
        this.station = station;
    }

    /** Starts looking, once a second from now. */
    public void start() {
        thread.scheduleWithFixedDelay(this::look, 0, 1, TimeUnit.SECONDS);
    }

    private void look() {
        try {
            Signs s = station.get();
            now = watch.conditions(s.brokerConnected(), s.health(), s.timeouts(), System.nanoTime(), s.signs());
            book.sync(now, Instant.now());
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: the alarms must outlive one bad look
            log.atWarn().setMessage("alarms not checked").addKeyValue("error", e.toString()).log();
        }
    }

    /** The alarm banner's lines now, most serious first: each condition with its stored record. Any thread. */
    public List<AlarmBook.BannerAlarm> banner() {
        return AlarmBook.lines(now, book.open());
    }

    /** The conditions found at the last look. Any thread. */
    public List<AlarmWatch.Condition> conditions() {
        return now;
    }

    /** Re-reads the stored alarms soon (after someone acknowledged one); returns at once. */
    public void reload() {
        thread.execute(book::reload);
    }

    /** Why the last record in the store failed, or null. */
    public @org.jspecify.annotations.Nullable String error() {
        return book.error();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
