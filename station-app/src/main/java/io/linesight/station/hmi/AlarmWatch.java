/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns station state into alarm conditions: broker down, device faults, and timeouts that rose within the last
 * {@link #WINDOW_NANOS} (an old timeout count alone is history, not an alarm). One thread only: the FX thread of an
 * in-process HMI, or the status thread of the remote publisher (each has its own watch).
 */
public final class AlarmWatch {
    static final long WINDOW_NANOS = 10_000_000_000L;

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
    /** The codes this watch raises, and so the only ones an {@link AlarmBook} clears. */
    public static final List<String> CODES = List.of(BROKER_DOWN, DEVICE_FAULT, TIMEOUTS_RISING);

    private long lastTimeouts = -1;
    private long lastRiseNanos = Long.MIN_VALUE;
    private long risenBy;

    /** The active alarms' texts, most serious first; empty when all is well. */
    public List<String> check(boolean brokerConnected, Map<String, String> health, long timeouts, long nowNanos) {
        return conditions(brokerConnected, health, timeouts, nowNanos).stream().map(Condition::text).toList();
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
