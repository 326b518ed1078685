/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

import io.linesight.station.hmi.auth.Lockouts;
import io.linesight.station.hmi.auth.Role;
import io.linesight.station.hmi.auth.Session;
import io.linesight.station.hmi.auth.User;
import io.linesight.station.hmi.auth.UserStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Short-lived proof that an engineer or admin logged in at a remote HMI with a PIN the station checked: the station
 * issues a random token after a PIN check against its own users file ({@code <dataDir>/hmi-users.json}, read at each
 * login so users added at the HMI count at once) and accepts it only from the same HMI broker identity until it
 * expires. Tokens live in memory: a station restart invalidates them all.
 *
 * <p>Wrong PINs count in the same lock-out record as the station's own HMI ({@link Lockouts}, kept across restarts):
 * {@link Session#MAX_FAILURES} in a row lock the name out for {@link Session#LOCKOUT}, here and at the HMI. An unknown
 * user costs the same PIN hash as a wrong PIN. Thread-safe (called from the "plc-commands" thread; the PIN hash blocks
 * for a few tens of milliseconds).
 */
public final class LoginTokens {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the station's users come from; null when there are none yet. */
    @FunctionalInterface
    public interface Users {
        @Nullable UserStore read() throws IOException;
    }

    /** A valid login: who, with which role, for which HMI identity, until when. */
    public record Grant(String user, Role role, String hmiIdentity, Instant expiresAt) {
    }

    /** A login the station refused; the message says why (never whether the name exists). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Users users;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Grant> tokens = new HashMap<>();

    public LoginTokens(Users users, Clock clock, Duration ttl) {
        this.users = users;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * Checks {@code pin} for {@code user} and returns a new token for {@code hmiIdentity}. The PIN array is cleared.
     *
     * @throws Refused wrong PIN or unknown user (one message for both), locked out, role below engineer, no users
     */
    public String login(String hmiIdentity, String user, char[] pin) throws Refused {
        try {
            Instant now = clock.instant();
            UserStore store;
            try {
                store = users.read();
            } catch (IOException e) {
                throw new Refused("the station cannot read its users: " + e.getMessage());
            }
            if (store == null) {
                throw new Refused("this station has no HMI users yet: set up the first admin at the station's own HMI");
            }
            Lockouts lockouts = store.lockouts();
            Instant until = lockouts.lockedUntil(user, now);
            if (until != null) {
                throw new Refused(user + " is locked out until " + until + " (too many wrong PINs)");
            }
            User u = store.verify(user, pin);
            synchronized (this) {
                if (u == null) {
                    if (lockouts.failed(user) >= Session.MAX_FAILURES) {
                        lockouts.lock(user, now.plus(Session.LOCKOUT));
                        throw new Refused("wrong user or PIN; " + user + " is locked out until " + now.plus(Session.LOCKOUT));
                    }
                    throw new Refused("wrong user or PIN");
                }
                lockouts.clear(user);
                if (!u.role().atLeast(Role.ENGINEER)) {
                    throw new Refused(user + " is an " + u.role().name().toLowerCase(java.util.Locale.ROOT)
                            + ": remote commands need an engineer or admin");
                }
                tokens.values().removeIf(g -> !now.isBefore(g.expiresAt()));
                byte[] raw = new byte[24];
                RANDOM.nextBytes(raw);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                tokens.put(token, new Grant(u.name(), u.role(), hmiIdentity, now.plus(ttl)));
                return token;
            }
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    /**
     * The grant behind {@code token} when it is valid now and was issued to {@code hmiIdentity}.
     *
     * @throws Refused naming why (missing, unknown or expired, issued to another HMI)
     */
    public synchronized Grant check(String hmiIdentity, @Nullable String token) throws Refused {
        if (token == null || token.isEmpty()) {
            throw new Refused("no login token: log in as an engineer or admin at this HMI first (hmi/cmd/"
                    + hmiIdentity + "/login)");
        }
        Grant g = tokens.get(token);
        Instant now = clock.instant();
        if (g == null || !now.isBefore(g.expiresAt())) {
            tokens.remove(token);
            throw new Refused("login token unknown or expired: log in again");
        }
        if (!g.hmiIdentity().equals(hmiIdentity)) {
            throw new Refused("login token was issued to another HMI");
        }
        return g;
    }

    /** Ends a token at once (log-out at the HMI); unknown tokens are ignored. */
    public synchronized void revoke(String token) {
        tokens.remove(token);
    }

    public Duration ttl() {
        return ttl;
    }
}
