/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightException;
import java.util.Set;

/**
 * How long a wire driver waits, and how often it watches its controller: {@code lights[].timeoutMs} for each
 * exchange, {@code options.reconnectMinMs} / {@code reconnectMaxMs} for the reconnect backoff, and
 * {@code options.pollMs} for the keep-alive.
 *
 * @param timeoutMs      one exchange (connect, greeting, command, keep-alive), acknowledgement included
 * @param reconnectMinMs the first wait after a failed reconnect; doubles per failure
 * @param reconnectMaxMs the longest wait between reconnect attempts
 * @param pollMs         the longest the link stays without an exchange: after this much silence the keep-alive asks
 *                       the controller (Gardasoft-style controllers close a link that is idle for about 10 s)
 */
public record LinkTiming(int timeoutMs, int reconnectMinMs, int reconnectMaxMs, int pollMs) {
    /** The option keys this record reads; every wire driver accepts them. */
    public static final Set<String> OPTIONS = Set.of("reconnectMinMs", "reconnectMaxMs", "pollMs");
    /** Default keep-alive period: well within a 10 s idle timeout, and short enough to notice a dead controller. */
    public static final int DEFAULT_POLL_MS = 2_000;

    public LinkTiming {
        if (reconnectMinMs < 1 || reconnectMaxMs < reconnectMinMs) {
            throw new IllegalArgumentException("backoff must satisfy 1 <= min <= max, got " + reconnectMinMs + ".." + reconnectMaxMs);
        }
        if (pollMs < 1) {
            throw new IllegalArgumentException("pollMs must be positive, got " + pollMs);
        }
    }

    /** From {@code lights[].timeoutMs} and the options; every error names its field. */
    public static LinkTiming from(LightConfig config, DriverOptions options) throws LightException {
        int min = options.integer("reconnectMinMs", 200, 1, 60_000);
        int max = options.integer("reconnectMaxMs", Math.max(min, 5_000), 1, 600_000);
        if (max < min) {
            throw options.bad("reconnectMaxMs", "rejected " + max + ", must be at least reconnectMinMs (" + min + ")");
        }
        int poll = options.integer("pollMs", DEFAULT_POLL_MS, 100, 60_000);
        return new LinkTiming(config.timeoutMs(), min, max, poll);
    }

    ReconnectBackoff backoff() {
        return new ReconnectBackoff(reconnectMinMs, reconnectMaxMs);
    }

    /** How often the keep-alive thread looks whether a poll or a reconnect is due: a tenth of the period, 10-200 ms. */
    long tickMs() {
        return Math.clamp(pollMs / 10, 10, 200);
    }
}
