/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is logged in at the HMI. Operator when nobody is; a login lasts until log-out or {@code idle} without a touch.
 * {@link #MAX_FAILURES} wrong PINs in a row for one name lock that name out for {@link #LOCKOUT}, kept across restarts
 * ({@link Lockouts}); an unknown name is counted like a known one. Every login, log-out, failure and change to the
 * users goes to the audit trail first; an action the trail cannot record is refused with {@link AuditException}.
 * PINs are never audited or logged. FX thread only (the clock decides, so tests need no waiting).
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
        Lockouts lockouts = users.lockouts();
        Instant until = lockouts.lockedUntil(name, now);
        if (until != null) {
            audit.record(name, "login-refused", "hmi", null, "locked out until " + until);
            return Outcome.LOCKED_OUT;
        }
        User u = users.verify(name, pin);
        if (u == null) {
            int n = lockouts.failed(name);
            audit.record(name, "login-failed", "hmi", null, "attempt " + n);
            if (n >= MAX_FAILURES) {
                lockouts.lock(name, now.plus(LOCKOUT));
                audit.record(name, "locked-out", "hmi", null, "until " + now.plus(LOCKOUT));
                return Outcome.LOCKED_OUT;
            }
            return Outcome.WRONG_PIN;
        }
        // audited first: a login the trail cannot record does not happen (AuditException reaches the login pane)
        audit.record(u.name(), "login", "hmi", null, u.role().name());
        lockouts.clear(name);
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
        return users.lockouts().lockedUntil(name, clock.instant());
    }

    /**
     * Adds a user (admin only).
     *
     * @throws IllegalArgumentException when not allowed or not acceptable (name taken, PIN too short): the message
     *                                  says which, and nothing changed
     * @throws AuditException           when the trail cannot record it: nothing changed
     */
    public void addUser(String name, Role role, String pin) throws IOException {
        requireAdmin("add users");
        UserStore.checkName(name);
        users.checkPin(name, pin);
        if (users.user(name) != null) {
            throw new IllegalArgumentException("user '" + name + "' exists already");
        }
        audit.record(who(), "user-add", "user:" + name, null, role.name());
        users.add(name, role, pin);
    }

    /** Removes a user (admin only; not oneself, not the last admin). Exceptions as {@link #addUser}. */
    public void removeUser(String name) throws IOException {
        requireAdmin("remove users");
        User u = existing(name);
        if (name.equals(who())) {
            throw new IllegalArgumentException("you cannot remove yourself; another admin can");
        }
        if (users.lastAdmin(name)) {
            throw new IllegalArgumentException("'" + name + "' is the last admin and cannot be removed");
        }
        audit.record(who(), "user-remove", "user:" + name, u.role().name(), null);
        users.remove(name);
    }

    /** Gives a user another role (admin only). Exceptions as {@link #addUser}. */
    public void setRole(String name, Role role) throws IOException {
        requireAdmin("change roles");
        User u = existing(name);
        if (role != Role.ADMIN && users.lastAdmin(name)) {
            throw new IllegalArgumentException("'" + name + "' is the last admin and stays admin");
        }
        audit.record(who(), "user-role", "user:" + name, u.role().name(), role.name());
        users.setRole(name, role);
        if (name.equals(who())) {
            user = users.user(name); // an admin who gave themselves less holds less at once
        }
    }

    /** Sets a user's PIN and lifts their lock-out (admin only). Exceptions as {@link #addUser}. */
    public void resetPin(String name, String pin) throws IOException {
        requireAdmin("reset PINs");
        existing(name);
        users.checkPin(name, pin);
        audit.record(who(), "user-pin-reset", "user:" + name, null, null);
        users.resetPin(name, pin);
    }

    /**
     * The logged-in user changes their own PIN, proving the old one. Returns false (audited, nothing changed) when the
     * old PIN is wrong; a wrong old PIN counts towards the lock-out like a failed login.
     */
    public boolean changeOwnPin(char[] oldPin, String newPin) throws IOException {
        User u = user;
        if (u == null) {
            throw new IllegalArgumentException("log in to change your PIN");
        }
        users.checkPin(u.name(), newPin);
        if (users.verify(u.name(), oldPin) == null) {
            int n = users.lockouts().failed(u.name());
            audit.record(u.name(), "pin-change-failed", "user:" + u.name(), null, "attempt " + n);
            if (n >= MAX_FAILURES) {
                users.lockouts().lock(u.name(), clock.instant().plus(LOCKOUT));
                audit.record(u.name(), "locked-out", "hmi", null, "until " + clock.instant().plus(LOCKOUT));
                logout("locked out");
            }
            return false;
        }
        audit.record(u.name(), "pin-change", "user:" + u.name(), null, null);
        return users.changeOwnPin(u.name(), oldPin, newPin);
    }

    private void requireAdmin(String what) {
        if (!can(Role.ADMIN)) {
            throw new IllegalArgumentException("only an admin may " + what);
        }
    }

    private User existing(String name) {
        User u = users.user(name);
        if (u == null) {
            throw new IllegalArgumentException("no user '" + name + "'");
        }
        return u;
    }

    public UserStore users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }
}
