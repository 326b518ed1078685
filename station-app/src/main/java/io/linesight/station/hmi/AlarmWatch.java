/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns station state into the alarm banner's lines: broker down, device faults, and timeouts that rose within the
 * last {@link #WINDOW_NANOS} (an old timeout count alone is history, not an alarm). Called on the FX thread only.
 */
public final class AlarmWatch {
    static final long WINDOW_NANOS = 10_000_000_000L;

    private long lastTimeouts = -1;
    private long lastRiseNanos = Long.MIN_VALUE;
    private long risenBy;

    /** The active alarms, most serious first; empty when all is well. */
    public List<String> check(boolean brokerConnected, Map<String, String> health, long timeouts, long nowNanos) {
        List<String> alarms = new ArrayList<>();
        if (!brokerConnected) {
            alarms.add("BROKER DOWN — the PLC is not getting verdicts");
        }
        health.forEach((device, status) -> {
            if (!"ok".equals(status)) {
                alarms.add(device.toUpperCase(java.util.Locale.ROOT) + ": " + status);
            }
        });
        if (lastTimeouts >= 0 && timeouts > lastTimeouts) {
            risenBy = nowNanos - lastRiseNanos < WINDOW_NANOS ? risenBy + timeouts - lastTimeouts : timeouts - lastTimeouts;
            lastRiseNanos = nowNanos;
        }
        lastTimeouts = timeouts;
        if (lastRiseNanos != Long.MIN_VALUE && nowNanos - lastRiseNanos < WINDOW_NANOS) {
            alarms.add("TIMEOUTS RISING: +" + risenBy + " in the last 10 s");
        }
        return alarms;
    }
}
