/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.config.PixelFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sink delivery should")
class SinkDeliveryTest {
    private final FramePool pool = new FramePool(2, 16);
    private final SinkDelivery delivery = new SinkDelivery("top");

    private Frame frame(long id) {
        FramePool.Slot slot = Objects.requireNonNull(pool.acquire(0));
        return pool.publish(slot, new Frame.Builder().cameraId("top").frameId(id).format(PixelFormat.MONO8, 4, 4));
    }

    @Test
    void containAThrowingSink_closeItsFrame_countIt_andDeliverTheNextFrame() {
        List<Long> got = new ArrayList<>();
        FrameSink sink = f -> {
            if (f.frameId() == 1) {
                throw new IllegalStateException("viewer bug");
            }
            got.add(f.frameId());
            f.close();
        };
        assertThat(delivery.frame(sink, frame(1))).isFalse();
        assertThat(pool.available()).as("the thrown frame's buffer is back").isEqualTo(2);
        assertThat(delivery.frame(sink, frame(2))).isTrue();
        assertThat(got).containsExactly(2L);
        assertThat(delivery.sinkFailures()).isEqualTo(1);
    }

    @Test
    void notCloseAFrameAgain_whenTheSinkClosedItBeforeThrowing() {
        Frame f = frame(1);
        FrameSink sink = fr -> {
            fr.close();
            throw new IllegalStateException("late bug");
        };
        assertThat(delivery.frame(sink, f)).isFalse();
        assertThat(f.isReleased()).isTrue();
        assertThat(pool.available()).as("the buffer went back once, not twice").isEqualTo(2);
    }

    @Test
    void containThrowsFromFaultAndRecoveryCallbacks() {
        FrameSink sink = new FrameSink() {
            @Override
            public void onFrame(Frame frame) {
                frame.close();
            }

            @Override
            public void onFault(CameraException fault) {
                throw new IllegalStateException("fault handler bug");
            }

            @Override
            public void onRecovered() {
                throw new IllegalStateException("recovery handler bug");
            }
        };
        assertThat(delivery.fault(sink, new CameraException(CameraException.Code.NOT_CONNECTED, "gone"))).isFalse();
        assertThat(delivery.recovered(sink)).isFalse();
        assertThat(delivery.sinkFailures()).isEqualTo(2);
    }

    @Test
    void letAnErrorThrough_forTheDriverToReportAsAFault() {
        FrameSink sink = f -> {
            throw new AssertionError("broken");
        };
        assertThatThrownBy(() -> delivery.frame(sink, frame(1))).isInstanceOf(AssertionError.class);
    }
}
