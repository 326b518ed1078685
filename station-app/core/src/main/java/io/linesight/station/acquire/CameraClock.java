/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.Frame;

/**
 * Maps a camera's device timestamps (its clock at the start of exposure) onto the host's {@link System#nanoTime()},
 * to know when a hardware-triggered frame's line edge came, unless the driver reports the trigger's host time itself
 * ({@link Frame#hostTriggerNs()}). The offset is the smallest {@code host − device} seen,
 * the frame that travelled fastest; it may rise by a few microseconds a frame so that a drifting camera clock is
 * followed. Frames without a device timestamp are dated by their host timestamp.
 *
 * <p>One camera, one thread (the hardware lane).
 */
final class CameraClock {
    private static final long DRIFT_ALLOWANCE_NANOS = 5_000;
    private boolean known;
    private long offset;

    /** The host time of the frame's trigger. */
    long triggerNanos(Frame f) {
        if (f.hostTriggerNs() != 0) {
            return f.hostTriggerNs(); // the driver saw the trigger on the host's clock
        }
        long device = f.deviceTimestampNs();
        if (device <= 0) {
            return f.hostTimestampNs();
        }
        long sample = f.hostTimestampNs() - device;
        offset = known ? Math.min(offset + DRIFT_ALLOWANCE_NANOS, sample) : sample;
        known = true;
        return device + offset;
    }
}
