/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wrong-PIN counts and lock-outs per user name, in {@code hmi-lockouts.json} beside the users file, so that restarting
 * the station (or the HMI) does not hand an attacker a fresh set of tries. Names need not exist: unknown names are
 * counted and locked like known ones. Saved before each method returns; thread-safe.
 */
public final class Lockouts {
    private static final Logger log = LoggerFactory.getLogger(Lockouts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One name's state: wrong PINs in a row, and locked until when (epoch ms; 0: not locked). */
    public record State(int failures, long lockedUntilMs) {
    }

    private final Path file;
    private final Map<String, State> states = new TreeMap<>();

    private Lockouts(Path file) {
        this.file = file;
    }

    static Lockouts open(Path file) throws IOException {
        Lockouts l = new Lockouts(file);
        if (Files.exists(file)) {
            l.states.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, State>>() { }));
        }
        return l;
    }

    /** Until when {@code name} is locked out, or null when it is not (or no longer) locked at {@code now}. */
    public synchronized @Nullable Instant lockedUntil(String name, Instant now) {
        State s = states.get(name);
        return s == null || now.toEpochMilli() >= s.lockedUntilMs() ? null : Instant.ofEpochMilli(s.lockedUntilMs());
    }

    /** Counts one more wrong PIN and returns the count in a row. */
    public synchronized int failed(String name) {
        State s = states.getOrDefault(name, new State(0, 0));
        int n = s.failures() + 1;
        put(name, new State(n, s.lockedUntilMs()));
        return n;
    }

    /** Locks {@code name} out until {@code until} and starts its count again. */
    public synchronized void lock(String name, Instant until) {
        put(name, new State(0, until.toEpochMilli()));
    }

    /** Forgets {@code name}'s failures and lock-out (a good login, a PIN reset, a removed user). */
    public synchronized void clear(String name) {
        if (states.remove(name) != null) {
            save();
        }
    }

    private void put(String name, State s) {
        states.put(name, s);
        save();
    }

    private void save() {
        try {
            UserStore.writePrivately(file, JSON.writeValueAsString(states));
        } catch (IOException e) {
            // the lock-out still holds in this process; only a restart would forget it, so it is said loudly
            log.atError().setMessage("HMI lock-outs not saved; a restart would forget them")
                    .addKeyValue("file", file).addKeyValue("error", e.toString()).log();
        }
    }
}
