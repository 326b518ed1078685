/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

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
 * issues a random token after a PIN check against its own users ({@link Credentials}: the same users, lock-outs and
 * cost for unknown names as its own screen) and accepts it only from the same HMI broker identity until it expires.
 * Tokens live in memory: a station restart invalidates them all. Thread-safe (called from the "plc-commands" thread).
 */
public final class LoginTokens {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A valid login: who, with which role, for which HMI identity, until when. */
    public record Grant(String user, String role, String hmiIdentity, Instant expiresAt) {
    }

    /** A login the station refused; the message says why (never whether the name exists). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Credentials users;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Grant> tokens = new HashMap<>();

    public LoginTokens(Credentials users, Clock clock, Duration ttl) {
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
        Instant now = clock.instant();
        Credentials.Check check;
        try {
            check = users.check(user, pin, now);
        } catch (IOException e) {
            throw new Refused("the station cannot read its users: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
        return switch (check) {
            case Credentials.Check.Locked l -> throw new Refused(user + " is locked out until " + l.until()
                    + " (too many wrong PINs)");
            case Credentials.Check.Wrong w -> throw new Refused(w.lockedUntil() == null ? "wrong user or PIN"
                    : "wrong user or PIN; " + user + " is locked out until " + w.lockedUntil());
            case Credentials.Check.NoUsers n -> throw new Refused(
                    "this station has no HMI users yet: set up the first admin at the station's own HMI");
            case Credentials.Check.Ok ok -> {
                if (!ok.mayCommand()) {
                    throw new Refused(user + " is an " + ok.role().toLowerCase(java.util.Locale.ROOT)
                            + ": remote commands need an engineer or admin");
                }
                yield issue(hmiIdentity, ok, now);
            }
        };
    }

    private synchronized String issue(String hmiIdentity, Credentials.Check.Ok ok, Instant now) {
        tokens.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.put(token, new Grant(ok.user(), ok.role(), hmiIdentity, now.plus(ttl)));
        return token;
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
