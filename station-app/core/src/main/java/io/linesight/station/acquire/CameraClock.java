/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a camera's device timestamps (its clock at the start of exposure) onto the host's {@link System#nanoTime()},
 * to know when a hardware-triggered frame's line edge came, unless the driver reports the trigger's host time itself
 * ({@link Frame#hostTriggerNs()}). The offset is the smallest {@code host − device} seen,
 * the frame that travelled fastest; it may rise by a few microseconds a frame so that a drifting camera clock is
 * followed. Frames without a device timestamp are dated by their host timestamp.
 *
 * <p>A frame that, by the offset, would have taken longer than the camera's frame timeout to arrive cannot have:
 * the device clock started again (the camera rebooted, was replugged) or was set. The clock then re-anchors on that
 * frame; otherwise every later edge would be placed hours back and no part would ever match its frame again.
 *
 * <p>One camera, one thread (the hardware lane).
 */
final class CameraClock {
    private static final Logger log = LoggerFactory.getLogger(CameraClock.class);
    private static final long DRIFT_ALLOWANCE_NANOS = 5_000;
    private final String camera;
    private final long longestTransitNanos;
    private boolean known;
    private long offset;

    /**
     * @param longestTransitNanos the longest a frame can take from its trigger to the host (its frame timeout)
     */
    CameraClock(String camera, long longestTransitNanos) {
        this.camera = camera;
        this.longestTransitNanos = longestTransitNanos;
    }

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
        if (known && sample - offset > longestTransitNanos) {
            log.atWarn().setMessage("camera clock jumped back (restarted?); its frames are timed from now on")
                    .addKeyValue("camera", camera).addKeyValue("jumpMs", (sample - offset) / 1_000_000).log();
            offset = sample;
        } else {
            offset = known ? Math.min(offset + DRIFT_ALLOWANCE_NANOS, sample) : sample;
        }
        known = true;
        return device + offset;
    }
}
