/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A camera that disappears mid-run: the real fake GigE camera process is killed (SIGKILL, like a power cut) while
 * the driver is acquiring, then started again.
 */
@DisplayName("GenICam over GigE: camera process killed and restarted")
class FakeGvReconnectTest {
    private @Nullable FakeGvCamera gv;
    private @Nullable Camera camera;

    @BeforeEach
    void startCamera() throws Exception {
        FakeGvCamera.assumeInstalled();
        FakeGvCamera c = new FakeGvCamera("LSGVR" + ProcessHandle.current().pid() % 1000);
        gv = c;
        c.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        Camera cam = camera;
        if (cam != null) {
            cam.close();
        }
        FakeGvCamera c = gv;
        if (c != null) {
            c.close();
        }
    }

    /** Records frames, faults and recoveries in the order the driver reports them. */
    private static final class Recorder implements FrameSink {
        final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        final CopyOnWriteArrayList<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch fault = new CountDownLatch(1);
        final CountDownLatch recovered = new CountDownLatch(1);
        volatile @Nullable CameraException lastFault;

        @Override
        public void onFrame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void onFault(CameraException e) {
            lastFault = e;
            events.add("fault:" + Thread.currentThread().getName());
            fault.countDown();
        }

        @Override
        public void onRecovered() {
            events.add("recovered:" + Thread.currentThread().getName());
            recovered.countDown();
        }

        @Nullable Frame next(long ms) throws InterruptedException {
            return frames.poll(ms, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    @DisplayName("kill mid-acquisition: one onFault(NOT_CONNECTED), triggers refused, then recovery with settings re-applied and frames again")
    void killedCamera_faultsOnce_thenRecovers_andDeliversAgain() throws Exception {
        FakeGvCamera c = java.util.Objects.requireNonNull(gv);
        CameraConfig cfg = new CameraConfig("gvr", "genicam", c.serial(), 320, 240, PixelFormat.MONO8,
                TriggerMode.SOFTWARE, 1000, Map.of("reconnectMaxBackoffMs", "1000"));
        Camera cam = CameraProviders.byId("genicam").open(cfg);
        camera = cam;
        Recorder sink = new Recorder();
        cam.configure(CameraSettings.of(2_500, 3));
        cam.start(sink);
        cam.trigger(new TriggerTag("before", "s"));
        Frame before = sink.next(3_000);
        assertThat(before).as("a frame before the kill").isNotNull();
        long idBefore = before.frameId();
        before.close();

        c.kill();
        // Aravis' heartbeat notices within a few seconds; meanwhile triggers either fail or go nowhere
        assertThat(sink.fault.await(30, TimeUnit.SECONDS)).as("onFault after the camera died").isTrue();
        CameraException fault = java.util.Objects.requireNonNull(sink.lastFault);
        assertThat(fault.code()).isEqualTo(CameraException.Code.NOT_CONNECTED);
        assertThat(fault.getMessage()).contains("gvr").contains("disconnected");
        assertThatThrownBy(() -> cam.trigger(new TriggerTag("during", "s")))
                .isInstanceOf(CameraException.class)
                .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.NOT_CONNECTED));

        c.start();
        assertThat(sink.recovered.await(30, TimeUnit.SECONDS)).as("onRecovered after the camera came back").isTrue();
        assertThat(sink.events).as("one fault, then one recovery, each on a driver thread")
                .hasSize(2)
                .satisfiesExactly(
                        e -> assertThat(e).startsWith("fault:genicam-acq-gvr"),
                        e -> assertThat(e).startsWith("recovered:genicam-reconnect-gvr"));
        sink.frames.forEach(Frame::close);
        sink.frames.clear();

        cam.trigger(new TriggerTag("after", "s"));
        Frame after = sink.next(3_000);
        assertThat(after).as("a frame after recovery").isNotNull();
        try {
            assertThat(after.tag()).isEqualTo(new TriggerTag("after", "s"));
            assertThat(after.complete()).isTrue();
            assertThat(after.frameId()).as("frame ids keep increasing across the outage").isGreaterThan(idBefore);
            assertThat(after.exposureUs()).as("exposure re-applied").isCloseTo(2_500, org.assertj.core.data.Offset.offset(25.0));
            assertThat(after.gainDb()).as("gain re-applied").isCloseTo(3, org.assertj.core.data.Offset.offset(0.1));
        } finally {
            after.close();
        }
        assertThat(((GenicamCamera) cam).stats().faults()).isEqualTo(1);
    }

    @Test
    @DisplayName("close() while the camera is gone returns promptly and ends the reconnect thread")
    void close_whileReconnecting_returnsPromptly() throws Exception {
        FakeGvCamera c = java.util.Objects.requireNonNull(gv);
        CameraConfig cfg = new CameraConfig("gvc", "genicam", c.serial(), 320, 240, PixelFormat.MONO8,
                TriggerMode.SOFTWARE, 1000, Map.of());
        Camera cam = CameraProviders.byId("genicam").open(cfg);
        camera = cam;
        Recorder sink = new Recorder();
        cam.start(sink);
        c.kill();
        assertThat(sink.fault.await(30, TimeUnit.SECONDS)).as("onFault after the camera died").isTrue();

        // a hang detector, far above the expected few hundred ms
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(15), cam::close);
        Thread.sleep(200);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.equals("genicam-reconnect-gvc") || n.equals("genicam-acq-gvc"));
    }
}
