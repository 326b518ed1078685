/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is logged in at the HMI. Operator when nobody is; a login lasts until log-out or {@code idle} without a touch.
 * {@link #MAX_FAILURES} wrong PINs in a row for one user lock that user out for {@link #LOCKOUT}. Every login,
 * log-out and failure goes to the audit trail; a login the trail cannot record is refused with
 * {@link AuditException}. FX thread only (the clock decides, so tests need no waiting).
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);

    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration idle;
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Instant> lockedUntil = new HashMap<>();
    private @Nullable User user;
    private Instant lastTouch;

    /** What a login attempt came to. */
    public enum Outcome { OK, WRONG_PIN, LOCKED_OUT }

    public Session(UserStore users, AuditLog audit, Clock clock, Duration idle) {
        this.users = users;
        this.audit = audit;
        this.clock = clock;
        this.idle = idle;
        this.lastTouch = clock.instant();
    }

    public Outcome login(String name, char[] pin) {
        Instant now = clock.instant();
        Instant until = lockedUntil.get(name);
        if (until != null && now.isBefore(until)) {
            audit.record(name, "login-refused", "hmi", null, "locked out until " + until);
            return Outcome.LOCKED_OUT;
        }
        User u = users.verify(name, pin);
        if (u == null) {
            int n = failures.merge(name, 1, Integer::sum);
            audit.record(name, "login-failed", "hmi", null, "attempt " + n);
            if (n >= MAX_FAILURES) {
                failures.remove(name);
                lockedUntil.put(name, now.plus(LOCKOUT));
                audit.record(name, "locked-out", "hmi", null, "until " + now.plus(LOCKOUT));
                return Outcome.LOCKED_OUT;
            }
            return Outcome.WRONG_PIN;
        }
        // audited first: a login the trail cannot record does not happen (AuditException reaches the login pane)
        audit.record(u.name(), "login", "hmi", null, u.role().name());
        failures.remove(name);
        lockedUntil.remove(name);
        if (user != null) {
            logout("another login");
        }
        user = u;
        lastTouch = now;
        return Outcome.OK;
    }

    /**
     * Logs out. Unlike the other audited actions a log-out happens even when the trail cannot record it: keeping
     * a user logged in because a database is down would be the less safe failure. The lost record is logged as an
     * error.
     */
    public void logout(String why) {
        User u = user;
        if (u != null) {
            user = null;
            try {
                audit.record(u.name(), "logout", "hmi", u.role().name(), why);
            } catch (AuditException e) {
                log.atError().setMessage("log-out not in the audit trail").addKeyValue("user", u.name())
                        .addKeyValue("why", why).addKeyValue("error", e.getMessage()).log();
            }
        }
    }

    /** Any touch or key keeps the login alive. */
    public void touch() {
        lastTouch = clock.instant();
    }

    /** Logs out when idle too long; returns whether it did. Called by the HMI's refresh. */
    public boolean expireIfIdle() {
        if (user != null && Duration.between(lastTouch, clock.instant()).compareTo(idle) >= 0) {
            logout("idle " + idle.toSeconds() + " s");
            return true;
        }
        return false;
    }

    public Role role() {
        User u = user;
        return u == null ? Role.OPERATOR : u.role();
    }

    /** The name to audit actions under: the user, or "operator". */
    public String who() {
        User u = user;
        return u == null ? "operator" : u.name();
    }

    public boolean can(Role needed) {
        return role().atLeast(needed);
    }

    public @Nullable Instant lockedUntil(String name) {
        return lockedUntil.get(name);
    }

    public UserStore users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }
}
