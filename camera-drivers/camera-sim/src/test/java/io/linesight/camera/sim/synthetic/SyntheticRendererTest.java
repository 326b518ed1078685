/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.linesight.camera.api.TruthBox;
import io.linesight.config.PixelFormat;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The renderer copies runs from per-level noise textures instead of looking up every pixel: its frames must be the
 * very pixels of a lookup of every pixel, for every format, exposure (clamping at both ends included) and part.
 */
class SyntheticRendererTest {
    private static final int W = 320;
    private static final int H = 256;

    /** Every pixel looked up: {@code encode(clamp(round(grey * f) + noise[offset + i]))}, as the sensor model says. */
    private static byte[] lookUpEveryPixel(byte[] scene, byte[] noise, double exposureUs, long noiseKey,
                                           PixelFormat format) {
        double f = SensorModel.exposureFactor(exposureUs);
        int offset = SensorModel.noiseOffset(noiseKey);
        int bpp = format.bytesPerPixel();
        byte[] out = new byte[scene.length * bpp];
        for (int i = 0; i < scene.length; i++) {
            int exposed = Math.clamp(Math.round((scene[i] & 0xff) * f), 0, 255);
            int v = Math.clamp(exposed + noise[offset + i], 0, 255);
            if (bpp == 1) {
                out[i] = (byte) v;
            } else {
                int s = (int) Math.round(v * (double) format.maxValue() / 255);
                out[2 * i] = (byte) s;
                out[2 * i + 1] = (byte) (s >>> 8);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = PixelFormat.class, names = {"MONO8", "MONO12", "MONO16"})
    void everyFrame_isBitForBitALookupOfEveryPixel(PixelFormat format) {
        SyntheticRenderer r = new SyntheticRenderer(W, H, format, 11, 1.0);
        ByteBuffer dst = ByteBuffer.allocateDirect(W * H * format.bytesPerPixel());
        byte[] got = new byte[dst.capacity()];
        // exposures from the dark clamp (f = 0.2, background near 0) to the bright one (f = 2, plate at 255),
        // more of them than the sensor keeps textures for, so textures are also evicted and made again
        double[] exposures = {1000, 600, 100, 50_000, 1500, 999, 1000};
        int defects = 0;
        for (int part = 0; part < 12; part++) {
            long key = PartGenerator.partKey("R-" + part);
            for (int s = 0; s < exposures.length; s++) {
                long noiseKey = PartGenerator.mix(key, s);
                List<TruthBox> truth = r.render(key, exposures[s], noiseKey, dst);
                assertThat(dst.position()).isZero();
                assertThat(dst.limit()).isEqualTo(got.length);
                dst.get(0, got);
                byte[] want = lookUpEveryPixel(r.scene(), r.sensor().noise(), exposures[s], noiseKey, format);
                assertThat(got).as("part %d, exposure %s us", part, exposures[s]).isEqualTo(want);
                defects += s == 0 ? truth.size() : 0;
            }
        }
        assertThat(defects).as("parts with defects were among them").isGreaterThan(6);
    }

    @Test
    void steadyShots_allocateNothingThatScalesWithTheFrame() {
        SyntheticRenderer r = new SyntheticRenderer(1280, 1024, PixelFormat.MONO8, 7, 0.15);
        ByteBuffer dst = ByteBuffer.allocateDirect(1280 * 1024);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < 50; i++) {
            shoot(r, "warm-" + i, dst); // textures of both exposures are made here
        }
        long before = threads.getThreadAllocatedBytes(tid);
        int parts = 50;
        for (int i = 0; i < parts; i++) {
            shoot(r, "part-" + i, dst);
        }
        long perFrame = (threads.getThreadAllocatedBytes(tid) - before) / (2L * parts);
        // the part's description and its truth list remain (a few hundred bytes); a frame is 1.3 MB
        assertThat(perFrame).isLessThan(4096);
    }

    private static void shoot(SyntheticRenderer r, String id, ByteBuffer dst) {
        long key = PartGenerator.partKey(id);
        r.render(key, 1000, PartGenerator.mix(key, 1), dst);
        r.render(key, 600, PartGenerator.mix(key, 2), dst);
    }
}
