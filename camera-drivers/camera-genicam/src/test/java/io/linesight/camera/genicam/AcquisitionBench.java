/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acquisition figures for docs/BENCHMARKS.md: frames/s sustained and trigger→frame latency with the fake GigE camera
 * ({@code arv-fake-gv-camera-0.8} on loopback), free-running and software-triggered, at 640×480 and 2048×2048, with
 * lost and incomplete frame counts. Excluded from the default run; run it with
 * {@code ./mvnw -o -q -pl camera-drivers/camera-genicam test -Dtest=AcquisitionBench -Dgenicam.excludedGroups=}.
 * Writes a Markdown table to {@code target/acquisition-bench.md}.
 */
@Tag("bench")
class AcquisitionBench {
    private static final long RUN_MS = Long.getLong("bench.runMs", 6_000);
    private static final int TRIGGERS = Integer.getInteger("bench.triggers", 60);
    private static @Nullable FakeGvCamera gv;
    private static final StringBuilder TABLE = new StringBuilder(
            "| mode | size | frames | frames/s | trigger→frame p50 / p99 / max (ms) | incomplete | lost frames | lost triggers | pool misses |\n"
            + "|---|---|---|---|---|---|---|---|---|\n");

    @BeforeAll
    static void startCamera() throws Exception {
        FakeGvCamera.assumeInstalled();
        FakeGvCamera c = new FakeGvCamera("LSBENCH");
        gv = c;
        c.start();
    }

    @AfterAll
    static void stopCamera() throws Exception {
        FakeGvCamera c = gv;
        if (c != null) {
            c.close();
        }
        Path out = Path.of("target", "acquisition-bench.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, TABLE);
        System.out.println(TABLE);
    }

    /** Closes frames at once and remembers when each tagged one arrived. */
    private static final class Meter implements FrameSink {
        final AtomicLong frames = new AtomicLong();
        final Map<String, Long> arrivedNs = new ConcurrentHashMap<>();

        @Override
        public void onFrame(Frame frame) {
            frames.incrementAndGet();
            TriggerTag tag = frame.tag();
            if (tag != null) {
                arrivedNs.put(tag.partId(), frame.hostTimestampNs());
            }
            frame.close();
        }
    }

    private static CameraConfig config(int w, int h, TriggerMode mode, Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(extra);
        options.put("streamBuffers", "16");
        options.put("poolSize", "16");
        return new CameraConfig("bench", "genicam", java.util.Objects.requireNonNull(gv).serial(), w, h,
                PixelFormat.MONO8, mode, 2_000, options);
    }

    @Test
    void freeRunning_640x480() throws Exception {
        freeRun(640, 480);
    }

    @Test
    void freeRunning_2048x2048() throws Exception {
        freeRun(2048, 2048);
    }

    @Test
    void triggered_640x480() throws Exception {
        triggered(640, 480);
    }

    @Test
    void triggered_2048x2048() throws Exception {
        triggered(2048, 2048);
    }

    private static void freeRun(int w, int h) throws Exception {
        // ask for far more than the fake can do: the figure is what the whole chain sustains
        try (GenicamCamera cam = open(config(w, h, TriggerMode.FREE_RUN, Map.of("frameRate", "1000")))) {
            Meter m = new Meter();
            cam.start(m);
            Thread.sleep(500); // settle
            long f0 = m.frames.get();
            AcquisitionStats s0 = cam.stats();
            long t0 = System.nanoTime();
            Thread.sleep(RUN_MS);
            long n = m.frames.get() - f0;
            double secs = (System.nanoTime() - t0) / 1e9;
            AcquisitionStats s1 = cam.stats();
            cam.stop();
            row("free-run", w, h, n, n / secs, "n/a", s0, s1);
        }
    }

    private static void triggered(int w, int h) throws Exception {
        try (GenicamCamera cam = open(config(w, h, TriggerMode.SOFTWARE, Map.of()))) {
            Meter m = new Meter();
            cam.start(m);
            AcquisitionStats s0 = cam.stats();
            long[] sentNs = new long[TRIGGERS];
            long t0 = System.nanoTime();
            for (int i = 0; i < TRIGGERS; i++) {
                sentNs[i] = System.nanoTime();
                cam.trigger(new TriggerTag("p" + i, "s"));
                // trigger() waits out the camera's trigger spacing; take the send time after that wait
                sentNs[i] = System.nanoTime();
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (m.arrivedNs.size() < TRIGGERS && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            AcquisitionStats s1 = cam.stats();
            cam.stop();
            double[] lat = new double[m.arrivedNs.size()];
            int k = 0;
            for (int i = 0; i < TRIGGERS; i++) {
                Long at = m.arrivedNs.get("p" + i);
                if (at != null) {
                    lat[k++] = (at - sentNs[i]) / 1e6;
                }
            }
            Arrays.sort(lat, 0, k);
            String l = k == 0 ? "none" : String.format(Locale.ROOT, "%.1f / %.1f / %.1f", lat[(k - 1) / 2],
                    lat[Math.min(k - 1, (int) Math.ceil(k * 0.99) - 1)], lat[k - 1]);
            row("software trigger", w, h, m.frames.get(), m.frames.get() / secs, l, s0, s1);
        }
    }

    private static GenicamCamera open(CameraConfig cfg) throws CameraException {
        return (GenicamCamera) CameraProviders.byId("genicam").open(cfg);
    }

    private static void row(String mode, int w, int h, long frames, double fps, String latency, AcquisitionStats s0,
            AcquisitionStats s1) {
        TABLE.append(String.format(Locale.ROOT, "| %s | %dx%d | %d | %.1f | %s | %d | %d | %d | %d |%n", mode, w, h,
                frames, fps, latency, s1.incomplete() - s0.incomplete(), s1.lostFrames() - s0.lostFrames(),
                s1.lostTriggers() - s0.lostTriggers(), s1.poolExhausted() - s0.poolExhausted()));
    }
}
