/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.benchmarks;

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
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The synthetic camera as the demo station uses it, through the public camera API: one operation is one new part
 * shot twice (bright at 1000 µs, dark at 600 µs, as the demo recipe), each a software trigger answered by a frame
 * on the camera's acquisition thread. What is measured is trigger to frame in hand, so it includes the hand-over
 * between threads as well as the rendering; half of it is the cost of one frame to a station. After every
 * iteration the CPU time the camera's acquisition thread spent per part is printed too: on a loaded machine that is
 * the rendering cost itself, without the waits for a core that inflate the wall time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SyntheticCameraBenchmark {
    @Param({"1280x1024"})
    public String size;

    @Param({"mono8"})
    public String format;

    private Camera camera;
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(4);
    private final CameraSettings bright = CameraSettings.of(1000, 0);
    private final CameraSettings dark = CameraSettings.of(600, 0);
    private long part;
    private long acquisitionThreadId = -1;
    private long cpuAtStart;
    private long partAtStart;

    @Setup(Level.Trial)
    public void setUp() throws CameraException {
        String[] wh = size.split("x");
        CameraConfig config = new CameraConfig("top", "synthetic", null, Integer.parseInt(wh[0]),
                Integer.parseInt(wh[1]), PixelFormat.valueOf(format.toUpperCase(Locale.ROOT)), TriggerMode.SOFTWARE,
                1000, Map.of("seed", "7", "defectRate", "0.15"));
        camera = CameraProviders.byId("synthetic").open(config);
        camera.start(new FrameSink() {
            @Override
            public void onFrame(Frame frame) {
                if (!frames.offer(frame)) {
                    frame.close();
                }
            }
        });
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("camera-top-acq")) {
                acquisitionThreadId = t.threadId();
            }
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        cpuAtStart = acquisitionCpuNs();
        partAtStart = part;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        long parts = part - partAtStart;
        if (parts > 0 && acquisitionThreadId >= 0) {
            System.out.printf("%nacquisition thread CPU per part: %.3f ms (%d parts)%n",
                    (acquisitionCpuNs() - cpuAtStart) / 1e6 / parts, parts);
        }
    }

    private long acquisitionCpuNs() {
        return acquisitionThreadId < 0 ? 0 : ManagementFactory.getThreadMXBean().getThreadCpuTime(acquisitionThreadId);
    }

    @Benchmark
    public long partOfTwoShots() throws CameraException, InterruptedException {
        String id = "P" + part++;
        return shot(id, "bright", bright) + shot(id, "dark", dark);
    }

    private long shot(String partId, String shot, CameraSettings settings) throws CameraException, InterruptedException {
        camera.configure(settings);
        camera.trigger(new TriggerTag(partId, shot));
        Frame f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new IllegalStateException("no frame within 10 s for " + partId + "/" + shot);
        }
        try {
            return f.frameId();
        } finally {
            f.close();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        camera.close();
    }
}
