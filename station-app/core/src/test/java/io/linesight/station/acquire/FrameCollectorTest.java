/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.inference.onnx.FrameImages;
import org.junit.jupiter.api.Test;

/** A camera's sink on its own, fed as its acquisition thread would. */
class FrameCollectorTest {

    @Test
    void aCameraThatNeverDeliveredAFrame_hasNotDeliveredSinceAnyTime() {
        // the sequencer asks this to tell a slow camera (it delivered since the part gave up) from a dead one
        FrameCollector c = new FrameCollector("top");
        long overdueSince = System.nanoTime();
        assertThat(c.deliveredSince(overdueSince)).as("no frame ever").isFalse();

        c.onFrame(FrameImages.mono8Frame(new byte[16], 4, 4)); // a stray frame, nobody waits for it
        assertThat(c.deliveredSince(overdueSince)).isTrue();
        assertThat(c.deliveredSince(System.nanoTime())).as("nothing since now").isFalse();
    }
}
