/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import org.junit.jupiter.api.Test;

/** Device timestamps mapped onto the host's clock, as the hardware lane dates a frame's line edge. */
class CameraClockTest {
    static final long MS = 1_000_000L;
    final FramePool pool = new FramePool(1, 1);

    Frame frame(long deviceNs, long hostNs) {
        FramePool.Slot slot = pool.acquire(0);
        return pool.publish(slot, new Frame.Builder().cameraId("top").format(PixelFormat.MONO8, 1, 1)
                .deviceTimestampNs(deviceNs).hostTimestampNs(hostNs));
    }

    long edge(CameraClock clock, long deviceNs, long hostNs) {
        try (Frame f = frame(deviceNs, hostNs)) {
            return clock.triggerNanos(f);
        }
    }

    @Test
    void aCameraWhoseClockStartsAgain_isTimedFromItsNewClock_notHoursBack() {
        CameraClock clock = new CameraClock("top", 1000 * MS);
        long host = 5_000_000 * MS;
        long uptime = 3_600_000 * MS; // the camera has been up an hour
        for (int i = 0; i < 10; i++) { // every frame 3 ms on its way: dated by the first one's arrival
            assertThat(edge(clock, uptime + i * 100 * MS, host + i * 100 * MS + 3 * MS)).isEqualTo(host + i * 100 * MS + 3 * MS);
        }
        // the camera reboots: its clock starts near zero while the host's goes on
        long later = host + 60_000 * MS;
        long edge = edge(clock, 1 * MS, later + 3 * MS);
        assertThat(edge).as("dated within the transit of its arrival, not an hour back").isBetween(later - MS, later + 4 * MS);
        assertThat(edge(clock, 101 * MS, later + 103 * MS)).isBetween(later + 99 * MS, later + 104 * MS);
    }

    @Test
    void aFrameThatTravelledSlowly_isDatedByTheFastestFramesOffset() {
        CameraClock clock = new CameraClock("top", 1000 * MS);
        long host = 5_000_000 * MS;
        assertThat(edge(clock, 10 * MS, host + 3 * MS)).isEqualTo(host + 3 * MS); // the first: its arrival
        // held up 200 ms on its way (under the frame timeout): dated by the first frame's offset (plus the drift
        // allowance), not by its late arrival, and the clock is not re-anchored
        assertThat(edge(clock, 110 * MS, host + 303 * MS)).isEqualTo(host + 103 * MS + 5_000);
        assertThat(edge(clock, 210 * MS, host + 203 * MS)).isEqualTo(host + 203 * MS);
    }
}
