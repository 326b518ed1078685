/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses a part id that was triggered within the last {@code window}: a PLC that sends a trigger twice (a retried
 * message, a double-fired photo-eye) must not get two tickets and two verdicts for one part, and the first trigger
 * keeps its verdict. Ids may come back after the window (PLC counters wrap). At most {@code maxIds} ids are
 * remembered; past that the oldest are forgotten early, so memory stays bounded at any trigger rate.
 *
 * <p>Thread-safe (triggers come from the MQTT thread, the timer and tests).
 */
public final class PartIdGuard {
    private record Seen(String partId, long atNanos) {
    }

    private final long windowNanos;
    private final int maxIds;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Deque<Seen> order = new ArrayDeque<>();
    private final AtomicLong refused = new AtomicLong();

    public PartIdGuard(long windowNanos, int maxIds) {
        this.windowNanos = windowNanos;
        this.maxIds = maxIds;
    }

    /** Records {@code partId} now; false (and counted) when it was already seen within the window. */
    public synchronized boolean firstTime(String partId, long nowNanos) {
        while (!order.isEmpty() && (nowNanos - order.peekFirst().atNanos() > windowNanos || order.size() >= maxIds)) {
            Seen old = order.pollFirst();
            lastSeen.remove(old.partId(), old.atNanos());
        }
        if (lastSeen.containsKey(partId)) {
            refused.incrementAndGet();
            return false;
        }
        lastSeen.put(partId, nowNanos);
        order.addLast(new Seen(partId, nowNanos));
        return true;
    }

    /** Triggers refused as duplicates since start. */
    public long refused() {
        return refused.get();
    }
}
