/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.alarm;

import io.linesight.station.archive.ImageArchive;
import io.linesight.station.store.StoreWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns station state into alarm conditions: broker down, device faults (cameras, light controllers), the verdict
 * journal filling, the model on CPU although the recipe asks for a GPU, the results database unavailable, results the
 * station could not keep in it, the image archive paused, parts' images not archived within the last
 * {@link #DROP_WINDOW_NANOS}, and timeouts that rose within the last {@link #WINDOW_NANOS} (an old count alone is
 * history, not an alarm). One thread only: the station's alarm thread ({@link StationAlarms}).
 */
public final class AlarmWatch {
    static final long WINDOW_NANOS = 10_000_000_000L;
    /** An archive drop stays an alarm this long: drops come in bursts, and someone should see one. */
    static final long DROP_WINDOW_NANOS = 60_000_000_000L;

    /**
     * Something wrong now. {@code code} and {@code source} name it (the alarm record in the store is matched on
     * them); {@code detail} says more and may change while it lasts.
     */
    public record Condition(String code, String source, String detail) {
        /** What the banner says. */
        public String text() {
            return switch (code) {
                case BROKER_DOWN -> "BROKER DOWN — the PLC is not getting verdicts";
                case TIMEOUTS_RISING -> "TIMEOUTS RISING: " + detail;
                case JOURNAL_FILLING -> "VERDICT JOURNAL FILLING: " + detail;
                case CPU_FALLBACK -> "MODEL ON CPU: " + detail;
                case STORE_DOWN -> "RESULTS DATABASE: " + detail;
                case ARCHIVE_PAUSED -> "IMAGE ARCHIVE PAUSED: " + detail;
                case ARCHIVE_DROPS -> "IMAGES NOT ARCHIVED: " + detail;
                case RESULTS_NOT_KEPT -> "RESULTS NOT IN THE DATABASE: " + detail;
                default -> source.toUpperCase(Locale.ROOT) + ": " + detail;
            };
        }

        boolean sameAlarm(String otherCode, String otherSource) {
            return code.equals(otherCode) && source.equals(otherSource);
        }
    }

    public static final String BROKER_DOWN = "BROKER_DOWN";
    public static final String DEVICE_FAULT = "DEVICE_FAULT";
    public static final String TIMEOUTS_RISING = "TIMEOUTS_RISING";
    public static final String JOURNAL_FILLING = "JOURNAL_FILLING";
    public static final String CPU_FALLBACK = "CPU_FALLBACK";
    public static final String STORE_DOWN = "STORE_DOWN";
    public static final String ARCHIVE_PAUSED = "ARCHIVE_PAUSED";
    public static final String ARCHIVE_DROPS = "ARCHIVE_DROPS";
    public static final String RESULTS_NOT_KEPT = "RESULTS_NOT_KEPT";
    /** The codes this watch raises, and so the only ones an {@link AlarmBook} clears. */
    public static final List<String> CODES = List.of(BROKER_DOWN, DEVICE_FAULT, TIMEOUTS_RISING, JOURNAL_FILLING,
            CPU_FALLBACK, STORE_DOWN, ARCHIVE_PAUSED, ARCHIVE_DROPS, RESULTS_NOT_KEPT);
    /** The journal alarms from this share of its capacity: the line stops when it is full. */
    static final double JOURNAL_WARN_SHARE = 0.5;

    /**
     * The rest of what the station knows is wrong, read on the caller's thread.
     *
     * @param unackedVerdicts  verdicts in the journal the broker has not acknowledged
     * @param journalCapacity  the journal's capacity
     * @param modelProvider    what the recipe's model asks for ({@code cpu}, {@code cuda}, …), or "" without a model
     * @param runningProvider  the execution provider the model runs on ({@code CPU}, {@code CUDA}, …)
     * @param storeFailing     results cannot be written to the database (they wait in the spool)
     * @param storeSpooled     results waiting in the spool
     * @param archivePaused    why the image archive is paused, or null when it is not
     * @param store            the results writer's own account (why it fails, what it could not keep)
     * @param archive          the image archive's counts since start (parts not archived, by reason)
     * @param anomalyOnCpu     the anomaly models that asked for a GPU and run on CPU, one line each (empty: none)
     */
    public record StationSigns(long unackedVerdicts, long journalCapacity, String modelProvider, String runningProvider,
                               boolean storeFailing, long storeSpooled, @Nullable String archivePaused,
                               StoreWriter.Status store, ImageArchive.Counts archive, List<String> anomalyOnCpu) {
        public StationSigns {
            anomalyOnCpu = List.copyOf(anomalyOnCpu);
        }

        /** Without anomaly models on a GPU. */
        public StationSigns(long unackedVerdicts, long journalCapacity, String modelProvider, String runningProvider,
                            boolean storeFailing, long storeSpooled, @Nullable String archivePaused,
                            StoreWriter.Status store, ImageArchive.Counts archive) {
            this(unackedVerdicts, journalCapacity, modelProvider, runningProvider, storeFailing, storeSpooled,
                    archivePaused, store, archive, List.of());
        }

        public static final StationSigns NONE = new StationSigns(0, 1, "", "", false, 0, null);

        /** Without the writer's and the archive's accounts. */
        public StationSigns(long unackedVerdicts, long journalCapacity, String modelProvider, String runningProvider,
                            boolean storeFailing, long storeSpooled, @Nullable String archivePaused) {
            this(unackedVerdicts, journalCapacity, modelProvider, runningProvider, storeFailing, storeSpooled,
                    archivePaused, StoreWriter.Status.NONE, new ImageArchive.Counts(0, 0, 0, 0, 0, 0, 0, 0));
        }
    }

    private long lastDropped; // from 0: drops before the first look are news too
    private long lastDropNanos = Long.MIN_VALUE;
    private long lastTimeouts = -1;
    private long lastRiseNanos = Long.MIN_VALUE;
    private long risenBy;

    /** The active alarms' texts, most serious first; empty when all is well. */
    public List<String> check(boolean brokerConnected, Map<String, String> health, long timeouts, long nowNanos) {
        return conditions(brokerConnected, health, timeouts, nowNanos).stream().map(Condition::text).toList();
    }

    /** As {@link #conditions(boolean, Map, long, long)}, and what {@code signs} show. */
    public List<Condition> conditions(boolean brokerConnected, Map<String, String> health, long timeouts,
                                      long nowNanos, StationSigns signs) {
        List<Condition> alarms = conditions(brokerConnected, health, timeouts, nowNanos);
        int at = brokerConnected ? 0 : 1; // the journal is next most serious: when full, the line stops
        if (signs.unackedVerdicts() >= JOURNAL_WARN_SHARE * signs.journalCapacity()) {
            alarms.add(at, new Condition(JOURNAL_FILLING, "verdict-journal", String.format(Locale.ROOT,
                    "%d of %d verdicts not acknowledged (%.0f %%); the line stops when it is full",
                    signs.unackedVerdicts(), signs.journalCapacity(),
                    100.0 * signs.unackedVerdicts() / signs.journalCapacity())));
        }
        if (!signs.modelProvider().isEmpty() && !signs.modelProvider().equalsIgnoreCase("cpu")
                && signs.runningProvider().toUpperCase(Locale.ROOT).contains("CPU")) {
            alarms.add(new Condition(CPU_FALLBACK, "model", "the recipe asks for " + signs.modelProvider()
                    + ", the model runs on " + signs.runningProvider() + " (slower: watch the deadline)"));
        }
        if (!signs.anomalyOnCpu().isEmpty()) {
            alarms.add(new Condition(CPU_FALLBACK, "anomaly-model", String.join("; ", signs.anomalyOnCpu())
                    + " (slower: watch the deadline)"));
        }
        if (signs.storeFailing()) {
            String why = signs.store().error();
            alarms.add(new Condition(STORE_DOWN, "results-database", (why == null ? "unreachable" : "unavailable ("
                    + why + ")") + "; " + signs.storeSpooled() + " results kept in the spool"));
        }
        StoreWriter.Status st = signs.store();
        if (st.lost() + st.quarantined() + st.refused() > 0) {
            alarms.add(new Condition(RESULTS_NOT_KEPT, "results-database", String.format(Locale.ROOT,
                    "since start %d lost, %d quarantined (spool/quarantine), %d refused (spool/rejected.jsonl)",
                    st.lost(), st.quarantined(), st.refused())));
        }
        if (signs.archivePaused() != null) {
            alarms.add(new Condition(ARCHIVE_PAUSED, "image-archive", signs.archivePaused()));
        }
        ImageArchive.Counts a = signs.archive();
        if (a.dropped() > lastDropped) {
            lastDropNanos = nowNanos;
        }
        lastDropped = a.dropped();
        if (lastDropNanos != Long.MIN_VALUE && nowNanos - lastDropNanos < DROP_WINDOW_NANOS) {
            alarms.add(new Condition(ARCHIVE_DROPS, "image-archive", a.dropped() + " parts since start ("
                    + a.droppedByReason() + "); the last within a minute"));
        }
        return alarms;
    }

    /** The active alarm conditions, most serious first; empty when all is well. */
    public List<Condition> conditions(boolean brokerConnected, Map<String, String> health, long timeouts,
                                      long nowNanos) {
        List<Condition> alarms = new ArrayList<>();
        if (!brokerConnected) {
            alarms.add(new Condition(BROKER_DOWN, "plc-link", "the PLC is not getting verdicts"));
        }
        health.forEach((device, status) -> {
            if (!"ok".equals(status)) {
                alarms.add(new Condition(DEVICE_FAULT, device, status));
            }
        });
        if (lastTimeouts >= 0 && timeouts > lastTimeouts) {
            risenBy = nowNanos - lastRiseNanos < WINDOW_NANOS ? risenBy + timeouts - lastTimeouts : timeouts - lastTimeouts;
            lastRiseNanos = nowNanos;
        }
        lastTimeouts = timeouts;
        if (lastRiseNanos != Long.MIN_VALUE && nowNanos - lastRiseNanos < WINDOW_NANOS) {
            alarms.add(new Condition(TIMEOUTS_RISING, "pipeline", "+" + risenBy + " in the last 10 s"));
        }
        return alarms;
    }
}
