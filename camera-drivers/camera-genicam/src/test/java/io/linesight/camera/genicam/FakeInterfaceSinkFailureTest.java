/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A frame sink that throws, against the real libaravis on its in-process fake camera. */
@DisplayName("GenICam: a frame sink that throws")
class FakeInterfaceSinkFailureTest {
    private @Nullable GenicamCamera camera;

    @BeforeEach
    void open() throws Exception {
        Aravis.assumeInstalled();
        camera = (GenicamCamera) CameraProviders.byId("genicam").open(Aravis.fake("sinkfail"));
    }

    @AfterEach
    void close() {
        GenicamCamera c = camera;
        if (c != null) {
            c.close();
        }
    }

    @Test
    @DisplayName("is contained: the acquisition goes on, later frames arrive with their tags, the thrown frame's buffer is back")
    void throwingSink_neverStopsAcquisition() throws Exception {
        GenicamCamera cam = java.util.Objects.requireNonNull(camera);
        LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        FrameSink sink = frame -> {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("viewer bug");
            }
            frames.add(frame);
        };
        cam.start(sink);
        cam.trigger(new TriggerTag("P1", "thrown"));
        for (int i = 0; i < 100 && calls.get() == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(calls.get()).as("the sink saw the first frame").isPositive();

        cam.trigger(new TriggerTag("P2", "after"));
        Frame after = frames.poll(5, TimeUnit.SECONDS);
        assertThat(after).as("a frame after the sink threw").isNotNull();
        try {
            assertThat(after.tag()).isEqualTo(new TriggerTag("P2", "after"));
        } finally {
            after.close();
        }
        assertThat(cam.stats().sinkFailures()).isEqualTo(1);
        assertThat(cam.stats().faults()).as("a sink's bug is not a camera fault").isZero();
        cam.stop();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("the acquisition thread lives on").contains("genicam-acq-sinkfail");
    }
}
