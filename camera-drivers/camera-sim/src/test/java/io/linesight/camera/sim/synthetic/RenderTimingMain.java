/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.config.PixelFormat;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Measures the synthetic camera's render cost; not a test (no assertions), run by hand as the README says. Prints
 * the mean time per shot for a new part (scene drawn + exposed) and for a further shot of the same part (exposed
 * only), and the bytes allocated per frame by the rendering thread.
 */
final class RenderTimingMain {
    private RenderTimingMain() {
    }

    public static void main(String[] args) {
        int[][] sizes = {{1280, 1024}, {2448, 2048}};
        for (int[] s : sizes) {
            for (PixelFormat f : new PixelFormat[] {PixelFormat.MONO8, PixelFormat.MONO16}) {
                measure(s[0], s[1], f);
            }
        }
    }

    private static void measure(int w, int h, PixelFormat format) {
        PartGenerator parts = new PartGenerator(1, 0.5, w, h);
        BracketPainter painter = new BracketPainter(w, h);
        SensorModel sensor = new SensorModel(w, h, format, 1);
        byte[] scene = new byte[w * h];
        ByteBuffer dst = ByteBuffer.allocateDirect(w * h * format.bytesPerPixel());
        int warm = 200;
        int n = 300;
        for (int i = 0; i < warm; i++) {
            painter.paint(parts.part(i), scene);
            sensor.expose(scene, 1000 + i % 2, i, dst);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            painter.paint(parts.part(PartGenerator.partKey("part-" + i)), scene);
        }
        long t1 = System.nanoTime();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long a0 = threads.getThreadAllocatedBytes(tid);
        long t2 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sensor.expose(scene, i % 2 == 0 ? 800 : 1500, PartGenerator.mix(i, 7), dst);
        }
        long t3 = System.nanoTime();
        long a1 = threads.getThreadAllocatedBytes(tid);
        System.out.printf("%dx%d %-6s scene per part %.2f ms, exposure+noise per shot %.2f ms, allocated per shot %d B%n",
                w, h, format, (t1 - t0) / 1e6 / n, (t3 - t2) / 1e6 / n, (a1 - a0) / n);
    }
}
