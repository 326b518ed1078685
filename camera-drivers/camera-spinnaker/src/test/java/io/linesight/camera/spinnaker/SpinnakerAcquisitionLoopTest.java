/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.driver.SinkDelivery;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Spinnaker acquisition thread's loop with a sink that throws. No Spinnaker SDK or FLIR camera can exist on the
 * build machines, so images come from a scripted {@link ImageSource} of {@link FakeImage}s through the driver's seam
 * (the {@link ImageSource} interface {@code SdkImageSource} implements over the SDK); the loop, the delivery and the
 * shared {@link SinkDelivery} are the driver's own code. Together with the same test for the GenICam driver (on the
 * Aravis fake camera) and the simulator, it shows the drivers' one behaviour: a sink that throws never stops one.
 */
@DisplayName("the Spinnaker acquisition loop should")
class SpinnakerAcquisitionLoopTest {
    static final int W = 32;
    static final int H = 16;
    static final CameraConfig CONFIG = new CameraConfig("top", "spinnaker", "20123456", W, H, PixelFormat.MONO8,
            TriggerMode.FREE_RUN, 1000, Map.of());

    /** A script step: no image within the grab timeout. */
    static final Object NOTHING = new Object();

    /** Hands out its script ({@link #NOTHING}, an image, or an exception: a failed grab), then reports the end. */
    static final class ScriptedSource implements ImageSource {
        final Deque<Object> script = new ArrayDeque<>();
        int released;
        boolean closed;

        ScriptedSource(Object... steps) {
            for (Object step : steps) {
                script.add(step);
            }
        }

        boolean hasMore() {
            return !script.isEmpty();
        }

        @Override
        public @Nullable GrabbedImage next(long timeoutMs) throws CameraException {
            Object step = script.poll();
            if (step instanceof CameraException e) {
                throw e;
            }
            return step instanceof GrabbedImage image ? image : null;
        }

        @Override
        public void release(GrabbedImage image) {
            released++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final FramePool pool = new FramePool(4, W * H);
    private final SinkDelivery sinks = new SinkDelivery("top");
    private final FrameDelivery delivery = new FrameDelivery(CONFIG, new ImageCheck(CONFIG, "Mono8"), pool, sinks);
    private final List<CameraException> lost = new ArrayList<>();

    private void run(ScriptedSource source, FrameSink sink) {
        new AcquisitionLoop("top", source, source::hasMore, image -> delivery.deliver(image, null, sink, 1000, 0), lost::add).run();
    }

    private static FakeImage image(int n) {
        return FakeImage.of("Mono8", W, H, 1, W, n);
    }

    @Test
    void goOn_afterTheSinkThrows_andReturnTheThrownFramesBuffer() {
        List<Long> received = new ArrayList<>();
        FrameSink sink = new FrameSink() {
            int calls;

            @Override
            public void onFrame(Frame frame) {
                if (calls++ == 0) {
                    throw new IllegalStateException("viewer bug");
                }
                received.add(frame.frameId());
                frame.close();
            }
        };
        ScriptedSource source = new ScriptedSource(image(1), NOTHING, image(2), image(3));
        run(source, sink);

        assertThat(received).as("frames after the throw still arrive").containsExactly(2L, 3L);
        assertThat(sinks.sinkFailures()).isEqualTo(1);
        assertThat(pool.available()).as("the thrown frame's buffer is back in the pool").isEqualTo(pool.capacity());
        assertThat(source.released).as("every SDK image given back").isEqualTo(3);
        assertThat(lost).isEmpty();
    }

    @Test
    void reportAFault_notDieSilently_whenTheSinkThrowsAnError() {
        FrameSink sink = frame -> {
            frame.close();
            throw new AssertionError("sink broke badly");
        };
        ScriptedSource source = new ScriptedSource(image(1), image(2));
        run(source, sink);

        assertThat(lost).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(CameraException.Code.DEVICE_ERROR);
            assertThat(e).hasMessageContaining("cameras[top]").hasMessageContaining("sink broke badly");
        });
        assertThat(source.released).as("the image in hand is given back").isEqualTo(1);
        assertThat(source.closed).isTrue();
    }

    @Test
    void skipAFailedGrab_butStopAtALostDevice() {
        List<Long> received = new ArrayList<>();
        FrameSink sink = frame -> {
            received.add(frame.frameId());
            frame.close();
        };
        ScriptedSource source = new ScriptedSource(image(1),
                new CameraException(CameraException.Code.DEVICE_ERROR, "spinnaker: cameras[top]: GetNextImage failed: ERROR"),
                image(2),
                new CameraException(CameraException.Code.NOT_CONNECTED, "spinnaker: cameras[top]: GetNextImage failed: IO"),
                image(3));
        run(source, sink);

        assertThat(received).containsExactly(1L, 2L);
        assertThat(lost).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(CameraException.Code.NOT_CONNECTED));
        assertThat(source.closed).isTrue();
    }
}
