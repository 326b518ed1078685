/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import io.linesight.station.archive.PngEncoder;
import io.linesight.station.part.ShotFrame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * CPU time per part of the remote-HMI publisher's image work, on the demo's frames (synthetic camera, 1280×1024
 * Mono8, the recipe's two shots), measured on one thread with {@code getCurrentThreadCpuTime}, before and after
 * alternating part by part:
 * <ul>
 * <li>before: the steps the station took up to the change that introduced this class: a full-size viewer copy of
 * each shot on the deciding thread, then in the publisher a second, downscaled copy (nearest pixel, ≤ 640 px) and an
 * ImageIO PNG of it;</li>
 * <li>after: one downscaled viewer copy per shot ({@link LatestImages#copy}, ≤ 960 px), shared by every viewer, and the
 * archive's PNG encoder (deflate 1, Up filter, buffers reused) over it.</li>
 * </ul>
 * Run: {@code java -cp <test classpath> io.linesight.station.fanout.HmiImageCostMain [parts]}.
 */
public final class HmiImageCostMain {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int parts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        List<List<ShotFrame>> demo = renderDemoParts(10);
        PngEncoder png = new PngEncoder();
        long[] before = new long[parts];
        long[] after = new long[parts];
        long bytesBefore = 0;
        long bytesAfter = 0;
        for (int warm = 0; warm < 2; warm++) { // the first pass warms the JIT and is thrown away
            bytesBefore = 0;
            bytesAfter = 0;
            for (int p = 0; p < parts; p++) {
                List<ShotFrame> part = demo.get(p % demo.size());
                long t0 = CPU.getCurrentThreadCpuTime();
                for (ShotFrame sf : part) {
                    bytesBefore += before(sf);
                }
                long t1 = CPU.getCurrentThreadCpuTime();
                for (ShotFrame sf : part) {
                    LatestImages.Image img = LatestImages.copy(sf, "P" + p, LatestImages.MAX_SIDE);
                    bytesAfter += png.encode(img.width(), img.height(), PixelFormat.MONO8, img.grey());
                }
                long t2 = CPU.getCurrentThreadCpuTime();
                before[p] = t1 - t0;
                after[p] = t2 - t1;
            }
        }
        System.out.printf("parts=%d shots/part=%d%n", parts, demo.getFirst().size());
        System.out.printf("before: CPU per part median %.3f ms, p90 %.3f ms, PNG bytes per part %d%n",
                pct(before, 50), pct(before, 90), bytesBefore / parts);
        System.out.printf("after:  CPU per part median %.3f ms, p90 %.3f ms, PNG bytes per part %d%n",
                pct(after, 50), pct(after, 90), bytesAfter / parts);
        for (List<ShotFrame> part : demo) {
            part.forEach(sf -> sf.frame().close());
        }
    }

    /** The steps before the change, for one shot; returns the PNG's size. */
    private static long before(ShotFrame sf) throws Exception {
        Frame f = sf.frame();
        byte[] full = new byte[f.width() * f.height()]; // the viewer copy at full size (Mono8)
        for (int y = 0; y < f.height(); y++) {
            f.pixels().get(y * f.stride(), full, y * f.width(), f.width());
        }
        int step = Math.max(1, (int) Math.ceil(Math.max(f.width(), f.height()) / 640.0)); // the publisher's copy
        int w = f.width() / step;
        int h = f.height() / step;
        byte[] small = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * step * f.width();
            for (int x = 0; x < w; x++) {
                small[y * w + x] = full[row + x * step];
            }
        }
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(small, 0, ((DataBufferByte) bi.getRaster().getDataBuffer()).getData(), 0, small.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(w * h / 2);
        ImageIO.write(bi, "png", out);
        return out.size();
    }

    private static double pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, s.length * p / 100)] / 1e6;
    }

    /** Parts of the demo: two shots (1000 µs and 600 µs) of the synthetic camera, copied out of its pool. */
    private static List<List<ShotFrame>> renderDemoParts(int n) throws Exception {
        CameraConfig config = new CameraConfig("top", "synthetic", null, 1280, 1024, PixelFormat.MONO8,
                TriggerMode.SOFTWARE, 1000, Map.of("seed", "7", "defectRate", "0.15"));
        BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(4);
        FramePool mine = new FramePool(2 * n, 1280 * 1024);
        List<List<ShotFrame>> parts = new ArrayList<>();
        try (Camera camera = CameraProviders.byId("synthetic").open(config)) {
            camera.start(new FrameSink() {
                @Override
                public void onFrame(Frame frame) {
                    if (!frames.offer(frame)) {
                        frame.close();
                    }
                }
            });
            for (int p = 0; p < n; p++) {
                List<ShotFrame> shots = new ArrayList<>();
                for (Object[] shot : new Object[][] {{"bright", 1000.0}, {"dark", 600.0}}) {
                    camera.configure(CameraSettings.of((double) shot[1], 0));
                    camera.trigger(new TriggerTag("P" + p, (String) shot[0]));
                    try (Frame f = frames.poll(10, TimeUnit.SECONDS)) {
                        if (f == null) {
                            throw new IllegalStateException("no frame from the synthetic camera");
                        }
                        FramePool.Slot slot = mine.acquire(1000);
                        slot.buffer().put(0, f.pixels(), 0, f.stride() * f.height());
                        shots.add(new ShotFrame((String) shot[0], "top", mine.publish(slot, new Frame.Builder()
                                .format(PixelFormat.MONO8, f.width(), f.height()).stride(f.stride()).complete(true))));
                    }
                }
                parts.add(shots);
            }
        }
        return parts;
    }
}
