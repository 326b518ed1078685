/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.sim.acquisition.SimulatedCamera;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the simulated camera, with a frame sink that throws, should")
class SyntheticCameraSinkFailureTest {

    private static SimulatedCamera open(TriggerMode mode) throws CameraException {
        return (SimulatedCamera) CameraProviders.byId("synthetic").open(new CameraConfig("top", "synthetic", null, 64,
                48, PixelFormat.MONO8, mode, 1000, Map.of("buffers", "2", "fps", "50")));
    }

    @Test
    void goOnAcquiring_countTheFailure_andGiveTheThrownFramesBufferBack() throws Exception {
        try (SimulatedCamera cam = open(TriggerMode.SOFTWARE)) {
            LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
            AtomicInteger calls = new AtomicInteger();
            cam.start(frame -> {
                if (calls.getAndIncrement() == 0) {
                    throw new IllegalStateException("viewer bug");
                }
                frames.add(frame);
            });
            cam.trigger(new TriggerTag("P1", "thrown"));
            cam.trigger(new TriggerTag("P2", "after"));
            // more frames than the pool holds: a leaked buffer would stall the camera before the last one
            cam.trigger(new TriggerTag("P3", "after"));
            for (String part : new String[] {"P2", "P3"}) {
                Frame f = frames.poll(5, TimeUnit.SECONDS);
                assertThat(f).as("frame of %s after the sink threw", part).isNotNull();
                assertThat(f.tag()).isEqualTo(new TriggerTag(part, "after"));
                f.close();
            }
            assertThat(cam.sinkFailures()).isEqualTo(1);
            assertThat(cam.pool().available()).isEqualTo(cam.pool().capacity());
        }
    }

    @Test
    void keepItsFreeRunGoing_whenEveryOtherFrameThrows() throws Exception {
        try (SimulatedCamera cam = open(TriggerMode.FREE_RUN)) {
            CountDownLatch kept = new CountDownLatch(5);
            AtomicInteger calls = new AtomicInteger();
            cam.start(frame -> {
                if (calls.getAndIncrement() % 2 == 0) {
                    throw new IllegalStateException("every other frame");
                }
                frame.close();
                kept.countDown();
            });
            assertThat(kept.await(10, TimeUnit.SECONDS)).as("frames keep coming between throws").isTrue();
            cam.stop();
            assertThat(cam.sinkFailures()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void reportOneFault_notDieSilently_whenTheSinkThrowsAnError() throws Exception {
        try (SimulatedCamera cam = open(TriggerMode.SOFTWARE)) {
            AtomicReference<CameraException> fault = new AtomicReference<>();
            CountDownLatch faulted = new CountDownLatch(1);
            cam.start(new FrameSink() {
                @Override
                public void onFrame(Frame frame) {
                    frame.close();
                    throw new AssertionError("sink broke badly");
                }

                @Override
                public void onFault(CameraException e) {
                    fault.set(e);
                    faulted.countDown();
                }
            });
            cam.trigger(new TriggerTag("P1", "s"));
            assertThat(faulted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(fault.get().code()).isEqualTo(CameraException.Code.DEVICE_ERROR);
            assertThat(fault.get()).hasMessageContaining("'top'").hasMessageContaining("sink broke badly");
        }
    }
}
