/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.part;

import java.time.Instant;

/**
 * A part on the line, from the moment it was triggered. Immutable.
 *
 * @param partId          the PLC's id for the part (or the station's counter)
 * @param triggeredNanos  {@link System#nanoTime()} at the trigger: all deadlines and latencies count from here
 * @param triggeredAt     wall-clock time of the trigger, for records and display only
 * @param deadlineNanos   {@code nanoTime} by which the verdict must be sent
 */
public record Part(String partId, long triggeredNanos, Instant triggeredAt, long deadlineNanos) {

    public static Part triggeredNow(String partId, long deadlineMs) {
        long now = System.nanoTime();
        return new Part(partId, now, Instant.now(), now + deadlineMs * 1_000_000L);
    }

    /** Wall-clock deadline, for records and the PLC message. */
    public Instant deadlineAt() {
        return triggeredAt.plusNanos(deadlineNanos - triggeredNanos);
    }

    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }
}
