/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import io.linesight.camera.api.CameraException;
import java.util.function.LongSupplier;

/**
 * Keeps triggers at least a minimum interval apart: a camera drops a trigger that comes before it can take the next
 * exposure, and a free-running source must not burst. {@link #awaitSlot()} waits out the rest of the interval since
 * the last trigger and returns the slot's time; the caller then fires and records when with {@link #fired}.
 *
 * <p>Two ways to record: a software trigger records the time it was actually sent (so a late wake-up never shortens
 * the next interval below the camera's minimum); a free-run tick records its slot (so wake-up latency does not add up
 * and lower the rate). A late caller gets a slot of "now": missed slots are not made up with a burst.
 *
 * <p><b>Threads.</b> Not thread-safe: one owner at a time (the control thread for triggers under the driver's control
 * lock, or the acquisition thread for free run). {@link #awaitSlot()} blocks that thread up to one interval.
 */
public final class TriggerPacer {
    private final String cameraId;
    private final long minIntervalNs;
    private final LongSupplier clock;
    private final Pause pause;
    private boolean anyFired;
    private long lastNs;

    /**
     * @param cameraId      the camera's config id, for errors
     * @param minIntervalNs the shortest time between two triggers; 0 paces nothing
     * @param clock         {@link System#nanoTime} in production
     * @param pause         how to wait; {@link Pause#until} the driver's closed latch in production
     */
    public TriggerPacer(String cameraId, long minIntervalNs, LongSupplier clock, Pause pause) {
        if (minIntervalNs < 0) {
            throw new IllegalArgumentException("trigger pacing: minimum interval " + minIntervalNs + " ns is negative");
        }
        this.cameraId = cameraId;
        this.minIntervalNs = minIntervalNs;
        this.clock = clock;
        this.pause = pause;
    }

    /** The minimum interval in nanoseconds. */
    public long minIntervalNs() {
        return minIntervalNs;
    }

    /**
     * Waits until the next trigger may fire.
     *
     * @return the slot's time on the clock: the earliest allowed time, or now when that has passed
     * @throws CameraException {@code NOT_CONNECTED} when the wait ended early because the camera is closing;
     *                         {@code DEVICE_ERROR} when the waiting thread was interrupted (its flag is restored).
     *                         Either way the trigger must not be sent.
     */
    public long awaitSlot() throws CameraException {
        long now = clock.getAsLong();
        if (!anyFired || minIntervalNs == 0) {
            return now;
        }
        long slot = lastNs + minIntervalNs;
        if (slot - now <= 0) {
            return now;
        }
        try {
            if (!pause.sleep(slot - now)) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED,
                        "cameras[" + cameraId + "] is closing; trigger not sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CameraException(CameraException.Code.DEVICE_ERROR,
                    "cameras[" + cameraId + "]: interrupted while pacing a trigger", e);
        }
        return slot;
    }

    /** Records that a trigger fired at {@code atNs} (clock time). */
    public void fired(long atNs) {
        anyFired = true;
        lastNs = atNs;
    }

    /** Holds the next trigger back until at least {@code nanos} from now. */
    public void holdFor(long nanos) {
        fired(clock.getAsLong() + nanos - minIntervalNs);
    }

    /** Forgets the last trigger: the next one fires at once. */
    public void reset() {
        anyFired = false;
    }

}
