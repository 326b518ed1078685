/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Turns a clean unit-exposure scene into a sensor image: every grey level times
 * {@code f = clamp(exposureUs/1000, 0.2, 2.0)}, clamped to 0..255, plus Gaussian noise (sigma 3, cut at 4 sigma)
 * read from a texture made once at open, starting at an offset chosen per frame. For 16-bit formats the 8-bit
 * result is scaled to the format's range ({@code x257} for Mono16). Everything is table lookups into buffers made
 * at construction: nothing is allocated per frame. One instance per acquisition thread.
 */
final class SensorModel {
    static final double NOISE_SIGMA = 3;
    private static final int NOISE_CUT = 12;
    /** Distinct noise offsets; the texture is this much longer than a frame. */
    private static final int NOISE_SLACK = 1 << 16;

    private final int width;
    private final int height;
    private final PixelFormat format;
    private final byte[] noise;
    private final int[] exposed = new int[256];
    private final byte[] clamp8 = new byte[256 + 2 * NOISE_CUT + 1];
    private final short[] depth = new short[256];
    private final byte[] row;
    private double tableExposureUs = Double.NaN;

    SensorModel(int width, int height, PixelFormat format, long seed) {
        this.width = width;
        this.height = height;
        this.format = format;
        this.row = new byte[width * format.bytesPerPixel()];
        this.noise = new byte[width * height + NOISE_SLACK];
        SplittableRandom rng = new SplittableRandom(PartGenerator.mix(seed, 0x6e6f697365L));
        for (int i = 0; i < noise.length; i++) {
            long n = Math.round(rng.nextGaussian() * NOISE_SIGMA);
            noise[i] = (byte) Math.clamp(n, -NOISE_CUT, NOISE_CUT);
        }
        for (int i = 0; i < clamp8.length; i++) {
            clamp8[i] = (byte) Math.clamp(i - NOISE_CUT, 0, 255);
        }
        for (int v = 0; v < 256; v++) {
            depth[v] = (short) Math.round(v * (double) format.maxValue() / 255);
        }
    }

    /** The exposure factor f for an exposure time. */
    static double exposureFactor(double exposureUs) {
        return Math.clamp(exposureUs / 1000, 0.2, 2.0);
    }

    /** Writes the exposed, noisy image of {@code clean} into {@code dst} from position 0. */
    void expose(byte[] clean, double exposureUs, long noiseKey, ByteBuffer dst) {
        if (exposureUs != tableExposureUs) {
            double f = exposureFactor(exposureUs);
            for (int v = 0; v < 256; v++) {
                exposed[v] = Math.clamp(Math.round(v * f), 0, 255);
            }
            tableExposureUs = exposureUs;
        }
        int offset = (int) Math.floorMod(noiseKey, (long) NOISE_SLACK);
        dst.position(0);
        boolean wide = format.bytesPerPixel() == 2;
        for (int y = 0; y < height; y++) {
            int base = y * width;
            int n = offset + base;
            if (wide) {
                for (int x = 0; x < width; x++) {
                    int v = clamp8[exposed[clean[base + x] & 0xff] + noise[n + x] + NOISE_CUT] & 0xff;
                    short s = depth[v];
                    row[2 * x] = (byte) s;
                    row[2 * x + 1] = (byte) (s >>> 8);
                }
            } else {
                for (int x = 0; x < width; x++) {
                    row[x] = clamp8[exposed[clean[base + x] & 0xff] + noise[n + x] + NOISE_CUT];
                }
            }
            dst.put(row);
        }
        dst.flip();
    }
}
