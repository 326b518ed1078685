/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.alarm;

import io.linesight.station.store.OpenAlarm;
import io.linesight.station.store.ResultsStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the station's {@code alarms} table in step with the conditions an {@link AlarmWatch} sees: a new condition
 * is raised (one row), a condition that went away is cleared, and what the store holds open (with who acknowledged
 * it) is kept for the banner. Reconciling against the store rather than remembering clears what a crashed run left
 * open, and keeps two stations sharing one database apart (each its own line and station).
 *
 * <p>{@link #sync} does database work: call it from a background thread (about once a second), never from the FX
 * thread or the inspection path. {@link #open()} may be read from any thread.
 */
public final class AlarmBook {
    private static final Logger log = LoggerFactory.getLogger(AlarmBook.class);

    private final ResultsStore store;
    private volatile List<OpenAlarm> open = List.of();
    private volatile @Nullable String error;

    public AlarmBook(ResultsStore store) {
        this.store = store;
    }

    /** Raises what is new in {@code now}, clears what went away, and re-reads the open alarms. */
    public void sync(List<AlarmWatch.Condition> now, Instant at) {
        try {
            synchronized (store) {
                List<OpenAlarm> stored = store.openAlarms();
                for (OpenAlarm a : stored) {
                    boolean managed = AlarmWatch.CODES.contains(a.code());
                    if (managed && now.stream().noneMatch(c -> c.sameAlarm(a.code(), a.source()))) {
                        store.clearAlarm(a.id(), at);
                    }
                }
                for (AlarmWatch.Condition c : now) {
                    if (stored.stream().noneMatch(a -> c.sameAlarm(a.code(), a.source()))) {
                        store.raiseAlarm(c.code(), c.source(), c.detail(), at);
                        log.atWarn().setMessage("alarm raised").addKeyValue("code", c.code())
                                .addKeyValue("source", c.source()).addKeyValue("detail", c.detail()).log();
                    }
                }
                open = store.openAlarms();
            }
            if (error != null) {
                log.atInfo().setMessage("alarm book in step with the store again").log();
            }
            error = null;
        } catch (SQLException | RuntimeException e) {
            if (error == null) {
                log.atWarn().setMessage("alarms not recorded: results store unreachable")
                        .addKeyValue("db", store.description()).addKeyValue("error", e.getMessage()).log();
            }
            error = e.getMessage();
        }
    }

    /** Re-reads the open alarms (after an acknowledgement); background thread. */
    public void reload() {
        try {
            open = store.openAlarms();
        } catch (SQLException e) {
            error = e.getMessage();
        }
    }

    /** The open alarms as last read, oldest first. */
    public List<OpenAlarm> open() {
        return open;
    }

    /** Why the last sync failed, or null when it worked. */
    public @Nullable String error() {
        return error;
    }

    /**
     * The banner's lines: each current condition with the stored alarm it matches (for its id and acknowledgement),
     * or without one while the store has not caught up (then it cannot be acknowledged yet).
     */
    public static List<BannerAlarm> lines(List<AlarmWatch.Condition> now, List<OpenAlarm> open) {
        List<BannerAlarm> out = new ArrayList<>(now.size());
        for (AlarmWatch.Condition c : now) {
            OpenAlarm match = open.stream().filter(a -> c.sameAlarm(a.code(), a.source())).findFirst().orElse(null);
            out.add(new BannerAlarm(c.text(), match == null ? 0 : match.id(),
                    match == null ? null : match.acknowledgedBy()));
        }
        return out;
    }

    /**
     * One line of the alarm banner.
     *
     * @param id             the stored alarm's id, 0 when not stored (yet)
     * @param acknowledgedBy who acknowledged it, null while nobody has
     */
    public record BannerAlarm(String text, long id, @Nullable String acknowledgedBy) {
        public boolean acknowledged() {
            return acknowledgedBy != null;
        }
    }
}
