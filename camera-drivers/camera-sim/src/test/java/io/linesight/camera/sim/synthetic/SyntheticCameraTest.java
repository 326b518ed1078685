/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.testkit.FrameCollector;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntheticCameraTest {
    private static final long WAIT_MS = 5_000;

    private static CameraConfig config(int w, int h, PixelFormat f, TriggerMode mode, Map<String, String> options) {
        return new CameraConfig("top", "synthetic", null, w, h, f, mode, 1000, options);
    }

    private static CameraConfig config(Map<String, String> options) {
        return config(320, 256, PixelFormat.MONO8, TriggerMode.SOFTWARE, options);
    }

    /** Opens, shoots one frame per tag at the given exposure, returns copies of the pixels and the frames. */
    private static List<Shot> shoot(CameraConfig cfg, double exposureUs, TriggerTag... tags) throws Exception {
        try (Camera cam = CameraProviders.byId("synthetic").open(cfg)) {
            FrameCollector sink = new FrameCollector(false);
            cam.configure(CameraSettings.of(exposureUs, 0));
            cam.start(sink);
            for (TriggerTag t : tags) {
                cam.trigger(t);
            }
            List<Frame> frames = sink.take(tags.length, WAIT_MS);
            assertThat(frames).hasSize(tags.length);
            List<Shot> shots = frames.stream().map(Shot::of).toList();
            frames.forEach(Frame::close);
            return shots;
        }
    }

    record Shot(byte[] pixels, Frame meta) {
        static Shot of(Frame f) {
            ByteBuffer b = f.pixels();
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            return new Shot(copy, f);
        }

        double mean() {
            long sum = 0;
            for (byte v : pixels) {
                sum += v & 0xff;
            }
            return (double) sum / pixels.length;
        }
    }

    @Nested
    class Determinism {
        @Test
        void sameSeedAndPartId_giveIdenticalPixels_onTwoCameras() throws Exception {
            CameraConfig cfg = config(Map.of("seed", "42", "defectRate", "0.5"));
            TriggerTag[] tags = {new TriggerTag("A-1", "s"), new TriggerTag("A-2", "s"), new TriggerTag("A-3", "s")};
            List<Shot> first = shoot(cfg, 1000, tags);
            List<Shot> second = shoot(cfg, 1000, tags);
            for (int i = 0; i < tags.length; i++) {
                assertThat(second.get(i).pixels()).isEqualTo(first.get(i).pixels());
                assertThat(second.get(i).meta().truth()).isEqualTo(first.get(i).meta().truth());
            }
            assertThat(first.get(0).pixels()).isNotEqualTo(first.get(1).pixels());
        }

        @Test
        void differentSeeds_giveDifferentPixels() throws Exception {
            TriggerTag tag = new TriggerTag("A-1", "s");
            Shot one = shoot(config(Map.of("seed", "1")), 1000, tag).getFirst();
            Shot two = shoot(config(Map.of("seed", "2")), 1000, tag).getFirst();
            assertThat(one.pixels()).isNotEqualTo(two.pixels());
        }

        @Test
        @DisplayName("two shots of one part show the same part: same truth, brightness follows exposure")
        void shotsOfOnePart_showTheSamePart_differingByExposure() throws Exception {
            CameraConfig cfg = config(Map.of("seed", "5", "defectRate", "1"));
            try (Camera cam = CameraProviders.byId("synthetic").open(cfg)) {
                FrameCollector sink = new FrameCollector(false);
                cam.start(sink);
                cam.configure(CameraSettings.of(500, 0));
                cam.trigger(new TriggerTag("P-9", "dark"));
                cam.configure(CameraSettings.of(1500, 0));
                cam.trigger(new TriggerTag("P-9", "bright"));
                List<Frame> frames = sink.take(2, WAIT_MS);
                assertThat(frames).hasSize(2);
                Shot dark = Shot.of(frames.get(0));
                Shot bright = Shot.of(frames.get(1));
                frames.forEach(Frame::close);
                assertThat(dark.meta().truth()).isNotEmpty().isEqualTo(bright.meta().truth());
                // grey levels scale with f = exposure/1000 (noise and clamping blur the ratio a little)
                assertThat(bright.mean() / dark.mean()).isBetween(2.7, 3.3);
            }
        }
    }

    @Test
    @DisplayName("plate pixels: grey 170 x f, sensor noise of sigma about 3; f clamps at 2")
    void greyLevels_followExposure_withNoiseOfSigmaThree() throws Exception {
        CameraConfig cfg = config(640, 512, PixelFormat.MONO8, TriggerMode.SOFTWARE, Map.of("defectRate", "0"));
        Shot normal = shoot(cfg, 1000, new TriggerTag("G-1", "s")).getFirst();
        Shot half = shoot(cfg, 500, new TriggerTag("G-1", "s")).getFirst();
        SyntheticPartLayout l = SyntheticPartLayout.of(640, 512);
        // a 40x40 patch in the middle of the plate, clear of holes and jitter
        int cx = l.plateX() + l.plateWidth() / 2;
        int cy = l.plateY() + l.plateHeight() / 2;
        double[] n = stats(normal.pixels(), 640, cx - 20, cy - 20, 40);
        double[] hf = stats(half.pixels(), 640, cx - 20, cy - 20, 40);
        assertThat(n[0]).isBetween(169.0, 171.0);
        assertThat(n[1]).isBetween(2.6, 3.4);
        assertThat(hf[0]).isBetween(84.0, 86.0);
        Shot saturated = shoot(cfg, 50_000, new TriggerTag("G-1", "s")).getFirst();
        double[] s = stats(saturated.pixels(), 640, 5, 5, 40);
        // background 40 x 2 = 80: exposure factor clamps at 2.0
        assertThat(s[0]).isBetween(79.0, 81.0);
    }

    /** Mean and standard deviation of a square patch. */
    private static double[] stats(byte[] px, int width, int x0, int y0, int size) {
        double sum = 0;
        double sq = 0;
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                int v = px[y * width + x] & 0xff;
                sum += v;
                sq += (double) v * v;
            }
        }
        int n = size * size;
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(sq / n - mean * mean)};
    }

    @Test
    @DisplayName("a sink holding every buffer makes the camera drop (counted, frame id gap), then it recovers")
    void exhaustedPool_dropsAndCounts_thenRecovers() throws Exception {
        CameraConfig cfg = new CameraConfig("top", "synthetic", null, 160, 128, PixelFormat.MONO8,
                TriggerMode.SOFTWARE, 50, Map.of("buffers", "2"));
        try (Camera cam = CameraProviders.byId("synthetic").open(cfg)) {
            FrameCollector sink = new FrameCollector(false);
            cam.start(sink);
            for (int i = 0; i < 3; i++) {
                cam.trigger(new TriggerTag("E" + i, "s"));
            }
            List<Frame> held = sink.take(2, WAIT_MS);
            assertThat(held).hasSize(2);
            assertThat(sink.poll(500)).as("third frame has no buffer").isNull();
            assertThat(((io.linesight.camera.sim.acquisition.SimulatedCamera) cam).pool().exhausted()).isEqualTo(1);
            held.forEach(Frame::close);
            cam.trigger(new TriggerTag("E3", "s"));
            Frame next = sink.poll(WAIT_MS);
            assertThat(next).isNotNull();
            assertThat(next.frameId()).as("the dropped frame leaves a gap").isEqualTo(3);
            next.close();
        }
    }

    @Test
    @DisplayName("stop() with frames still in readout returns every buffer to the pool and delivers nothing after")
    void stop_duringReadout_returnsAllBuffers() throws Exception {
        CameraConfig cfg = config(160, 128, PixelFormat.MONO8, TriggerMode.SOFTWARE,
                Map.of("readoutMs", "40", "buffers", "3"));
        try (Camera cam = CameraProviders.byId("synthetic").open(cfg)) {
            FrameCollector sink = new FrameCollector(true);
            cam.start(sink);
            for (int i = 0; i < 20; i++) {
                cam.trigger(new TriggerTag("R" + i, "s"));
            }
            assertThat(sink.poll(WAIT_MS)).isNotNull();
            cam.stop();
            int atStop = sink.delivered();
            Thread.sleep(200);
            assertThat(sink.delivered()).isEqualTo(atStop).isLessThan(20);
            var pool = ((io.linesight.camera.sim.acquisition.SimulatedCamera) cam).pool();
            assertThat(pool.available()).isEqualTo(pool.capacity());
        }
    }

    @Test
    @DisplayName("mono16 is the mono8 image times 257")
    void mono16_isMono8TimesTwoHundredFiftySeven() throws Exception {
        TriggerTag tag = new TriggerTag("M-1", "s");
        Shot m8 = shoot(config(320, 256, PixelFormat.MONO8, TriggerMode.SOFTWARE, Map.of()), 1000, tag).getFirst();
        Shot m16 = shoot(config(320, 256, PixelFormat.MONO16, TriggerMode.SOFTWARE, Map.of()), 1000, tag).getFirst();
        assertThat(m16.meta().pixelFormat()).isEqualTo(PixelFormat.MONO16);
        assertThat(m16.pixels()).hasSize(2 * m8.pixels().length);
        for (int i = 0; i < m8.pixels().length; i++) {
            int v16 = (m16.pixels()[2 * i] & 0xff) | (m16.pixels()[2 * i + 1] & 0xff) << 8;
            if (v16 != (m8.pixels()[i] & 0xff) * 257) {
                throw new AssertionError("pixel " + i + ": mono16 " + v16 + " vs mono8 " + (m8.pixels()[i] & 0xff));
            }
        }
    }

    @Test
    @DisplayName("2448x2048 renders with plate, holes and background at their grey levels")
    void fullResolution_2448x2048_renders() throws Exception {
        CameraConfig cfg = config(2448, 2048, PixelFormat.MONO8, TriggerMode.SOFTWARE, Map.of("defectRate", "0"));
        Shot s = shoot(cfg, 1000, new TriggerTag("big", "s")).getFirst();
        assertThat(s.pixels()).hasSize(2448 * 2048);
        SyntheticPartLayout l = SyntheticPartLayout.of(2448, 2048);
        int centre = (l.plateY() + l.plateHeight() / 2) * 2448 + l.plateX() + l.plateWidth() / 2;
        assertThat(s.pixels()[centre] & 0xff).isBetween(170 - 12, 170 + 12);
        assertThat(s.pixels()[10 * 2448 + 10] & 0xff).isBetween(40 - 12, 40 + 12);
    }

    @Test
    @DisplayName("dropEvery: 3 misses the 3rd, 6th, 9th trigger: no frame, no frame id taken, counted")
    void dropEvery_missesEveryNthTrigger() throws Exception {
        try (Camera cam = CameraProviders.byId("synthetic").open(config(Map.of("dropEvery", "3")))) {
            FrameCollector sink = new FrameCollector(false);
            cam.start(sink);
            for (int i = 1; i <= 9; i++) {
                cam.trigger(new TriggerTag("D" + i, "s"));
            }
            List<Frame> frames = sink.take(6, WAIT_MS);
            assertThat(sink.poll(300)).as("no seventh frame").isNull();
            assertThat(frames).extracting(f -> f.tag().partId()).containsExactly("D1", "D2", "D4", "D5", "D7", "D8");
            assertThat(frames).extracting(Frame::frameId).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            for (Frame f : frames) {
                assertThat(PartStamp.read(f)).as("stamp of %s", f.tag().partId()).contains(PartStamp.idOf(f.tag().partId()));
            }
            assertThat(((io.linesight.camera.sim.acquisition.SimulatedCamera) cam).missedTriggers()).isEqualTo(3);
            frames.forEach(Frame::close);
        }
    }

    @Test
    void withoutDropEvery_everyTriggerGivesAFrame() throws Exception {
        TriggerTag[] tags = new TriggerTag[60];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new TriggerTag("N" + i, "s");
        }
        assertThat(shoot(config(Map.of("buffers", "64")), 1000, tags)).hasSize(60);
    }

    @Test
    void frames_comeOnTheNamedAcquisitionThread() throws Exception {
        try (Camera cam = CameraProviders.byId("synthetic").open(config(Map.of()))) {
            FrameCollector sink = new FrameCollector(true);
            cam.start(sink);
            cam.trigger(new TriggerTag("x", "s"));
            assertThat(sink.poll(WAIT_MS)).isNotNull();
            assertThat(sink.deliveryThread()).isEqualTo("camera-top-acq");
        }
    }

    @Test
    void freeRun_deliversUntaggedFrames_withoutTriggers() throws Exception {
        CameraConfig cfg = config(160, 128, PixelFormat.MONO8, TriggerMode.FREE_RUN, Map.of("fps", "200"));
        try (Camera cam = CameraProviders.byId("synthetic").open(cfg)) {
            FrameCollector sink = new FrameCollector(true);
            cam.start(sink);
            List<Frame> frames = sink.take(5, WAIT_MS);
            cam.stop();
            assertThat(frames).hasSize(5).allSatisfy(f -> assertThat(f.tag()).isNull());
            assertThat(frames.get(4).frameId() - frames.get(0).frameId()).isEqualTo(4);
            assertThatThrownBy(() -> cam.trigger(new TriggerTag("x", "s")))
                    .isInstanceOf(CameraException.class).hasMessageContaining("free_run");
        }
    }

    @Test
    void discover_listsOneSyntheticCamera() throws Exception {
        assertThat(CameraProviders.byId("synthetic").discover())
                .containsExactly(new CameraInfo("synthetic", "synthetic-0", "Linesight", "Synthetic bracket", "0", ""));
    }

    @Nested
    class BadConfiguration {
        @Test
        void hardwareTrigger_isRefusedAtOpen() {
            CameraConfig cfg = config(320, 256, PixelFormat.MONO8, TriggerMode.HARDWARE, Map.of());
            assertThatThrownBy(() -> CameraProviders.byId("synthetic").open(cfg))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("cameras[top].triggerMode")
                    .hasMessageContaining("hardware")
                    .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.BAD_SETTING));
        }

        @ParameterizedTest
        @CsvSource({"seed, twelve", "defectRate, 1.5", "defectRate, -0.1", "defectRate, x", "buffers, 0",
                "readoutMs, -1", "fps, 0", "buffers, 2.5", "dropEvery, -1", "dropEvery, every50"})
        void badOptionValue_isRefused_namingKeyAndValue(String key, String value) {
            Map<String, String> options = new HashMap<>();
            options.put(key, value);
            assertThatThrownBy(() -> CameraProviders.byId("synthetic").open(config(options)))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("cameras[top].options." + key)
                    .hasMessageContaining("'" + value + "'")
                    .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.BAD_SETTING));
        }

        @Test
        void unknownOptionKey_isRefused_listingTheKnownOnes() {
            assertThatThrownBy(() -> CameraProviders.byId("synthetic").open(config(Map.of("sed", "3"))))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("cameras[top].options.sed")
                    .hasMessageContaining("seed");
        }

        @Test
        void vendorFeatures_areRefused_byName() throws Exception {
            try (Camera cam = CameraProviders.byId("synthetic").open(config(Map.of()))) {
                assertThatThrownBy(() -> cam.configure(new CameraSettings(1000, 0, Map.of("GevSCPD", "10"))))
                        .isInstanceOf(CameraException.class).hasMessageContaining("GevSCPD");
            }
        }
    }
}
