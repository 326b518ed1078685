/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.config.PixelFormat;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * Measures the synthetic camera's render cost; not a test (no assertions), run by hand as the README says. Renders
 * parts as the demo shoots them, two shots each (1000 µs and 600 µs), and prints per frame the mean wall time and
 * CPU time of the thread (the CPU time leaves out waits for a core on a loaded machine), the share of a new part's
 * first shot (scene drawn and encoded, then exposed) and of a further shot (exposed only), and the bytes allocated
 * per frame by the rendering thread.
 */
final class RenderTimingMain {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

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
        SyntheticRenderer renderer = new SyntheticRenderer(w, h, format, 7, 0.15);
        ByteBuffer dst = ByteBuffer.allocateDirect(w * h * format.bytesPerPixel());
        int warm = 200;
        int n = 300;
        for (int i = 0; i < warm; i++) {
            shootPart(renderer, "warm-" + i, dst);
        }
        long[] first = new long[2];
        long[] second = new long[2];
        long tid = Thread.currentThread().threadId();
        long a0 = THREADS.getThreadAllocatedBytes(tid);
        long w0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            long key = PartGenerator.partKey("part-" + i);
            long tw = System.nanoTime();
            long tc = THREADS.getCurrentThreadCpuTime();
            renderer.render(key, 1000, PartGenerator.mix(key, 1), dst);
            long mw = System.nanoTime();
            long mc = THREADS.getCurrentThreadCpuTime();
            renderer.render(key, 600, PartGenerator.mix(key, 2), dst);
            first[0] += mw - tw;
            first[1] += mc - tc;
            second[0] += System.nanoTime() - mw;
            second[1] += THREADS.getCurrentThreadCpuTime() - mc;
        }
        long wall = System.nanoTime() - w0;
        long cpu = THREADS.getCurrentThreadCpuTime() - c0;
        long allocated = THREADS.getThreadAllocatedBytes(tid) - a0;
        System.out.printf("%dx%d %-6s per frame %.3f ms wall, %.3f ms CPU; first shot of a part %.3f ms CPU (%.3f wall),"
                        + " second shot %.3f ms CPU (%.3f wall); allocated per frame %d B%n", w, h, format,
                wall / 1e6 / (2 * n), cpu / 1e6 / (2 * n), first[1] / 1e6 / n, first[0] / 1e6 / n,
                second[1] / 1e6 / n, second[0] / 1e6 / n, allocated / (2 * n));
    }

    private static void shootPart(SyntheticRenderer renderer, String id, ByteBuffer dst) {
        long key = PartGenerator.partKey(id);
        renderer.render(key, 1000, PartGenerator.mix(key, 1), dst);
        renderer.render(key, 600, PartGenerator.mix(key, 2), dst);
    }
}
