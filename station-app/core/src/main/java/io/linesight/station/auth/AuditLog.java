/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.ResultsStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The HMI's audit trail, in the results store's {@code audit} table (who, when, what, on what, before and after).
 * A record is committed before the action it describes counts as done: when the store cannot take it,
 * {@link #record} throws {@link AuditException} and the caller does not do the action.
 *
 * <p>A remote HMI started without a store has no trail: {@link #unavailable} makes every audited action fail with
 * the reason, rather than happen unaudited.
 */
public final class AuditLog {
    private final @Nullable ResultsStore store;
    private final Clock clock;
    private final String unavailableReason;

    private AuditLog(@Nullable ResultsStore store, Clock clock, String unavailableReason) {
        this.store = store;
        this.clock = clock;
        this.unavailableReason = unavailableReason;
    }

    /** A trail in {@code store}, timed by {@code clock}. */
    public AuditLog(ResultsStore store, Clock clock) {
        this(store, clock, "");
    }

    /** No trail: every record (so every audited action) fails with {@code why}. */
    public static AuditLog unavailable(String why, Clock clock) {
        return new AuditLog(null, clock, why);
    }

    /** Whether records can be written at all (not whether the database answers right now). */
    public boolean available() {
        return store != null;
    }

    /**
     * Writes a record and returns once it is committed. Any thread; the store serialises writers.
     *
     * @throws AuditException when it could not be written: the action must not be done
     */
    public void record(String who, String action, String subject, @Nullable String before, @Nullable String after) {
        ResultsStore s = store;
        if (s == null) {
            throw new AuditException("no audit trail: " + unavailableReason + "; " + action + " not done");
        }
        try {
            s.audit(who, action, subject, before, after, clock.instant());
        } catch (SQLException | RuntimeException e) {
            throw new AuditException("audit trail in " + s.description() + " unreachable (" + e.getMessage() + "); "
                    + action + " not done", e);
        }
    }

    /** Acknowledges alarm {@code id} and audits it in one transaction; returns whether this call acknowledged it. */
    public boolean acknowledgeAlarm(long id, String who) {
        ResultsStore s = store;
        if (s == null) {
            throw new AuditException("no audit trail: " + unavailableReason + "; alarm " + id + " not acknowledged");
        }
        try {
            return s.acknowledgeAlarmAudited(id, who, clock.instant());
        } catch (SQLException | RuntimeException e) {
            throw new AuditException("results store " + s.description() + " unreachable (" + e.getMessage()
                    + "); alarm " + id + " not acknowledged", e);
        }
    }

    /** The newest {@code limit} records, newest first. */
    public List<AuditRecord> recent(int limit) throws SQLException {
        ResultsStore s = store;
        return s == null ? List.of() : s.auditTrail(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE), limit);
    }

    /** The whole trail of this station, oldest first (for tests and short trails). */
    public List<AuditRecord> entries() throws SQLException {
        List<AuditRecord> out = new ArrayList<>(recent(Integer.MAX_VALUE));
        return out.reversed();
    }
}
