/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Turns a clean unit-exposure scene into a sensor image: every grey level times
 * {@code f = clamp(exposureUs/1000, 0.2, 2.0)}, clamped to 0..255, plus Gaussian noise (sigma 3, cut at 4 sigma)
 * read from a texture made once at open, starting at an offset chosen per frame. For 16-bit formats the 8-bit
 * result is scaled to the format's range ({@code x257} for Mono16), little-endian.
 *
 * <p><b>Cost.</b> For a grey level that covers much of the scene (background, plate) the finished pixels of every
 * position, at one exposed level, are kept as a texture: {@code encode(clamp(level + noise[j]))} for every noise
 * position j. A run of that grey is then one bulk copy from its texture at the frame's noise offset. Only the
 * pixels of small features (defects) are looked up one by one. A texture is made the first time its exposed level
 * is needed and kept while few enough are in use (a recipe's shots use one level per grey and exposure); so a frame
 * costs about one memory copy, and allocates nothing once the textures exist.
 *
 * <p>The result is bit for bit what a lookup of every pixel gives. Not thread-safe: one instance per acquisition
 * thread.
 */
final class SensorModel {
    static final double NOISE_SIGMA = 3;
    static final int NOISE_CUT = 12;
    /** Distinct noise offsets; the texture is this much longer than a frame. */
    static final int NOISE_SLACK = 1 << 16;
    /** Memory the exposure textures of one camera may take together (at least two textures are kept). */
    private static final long TEXTURE_BUDGET = 64L << 20;
    /** A grey level covering at least this share of the scene gets a texture (1/16). */
    private static final int TEXTURED_SHARE_SHIFT = 4;

    private final int pixels;
    private final int bytesPerPixel;
    private final byte[] noise;
    private final int[] exposed = new int[256];
    private final byte[] clamp8 = new byte[256 + 2 * NOISE_CUT + 1];
    private final short[] depth = new short[256];
    private final Texture[] textures;
    private byte[] scratch = new byte[0];
    private double tableExposureUs = Double.NaN;
    private long uses;

    /** Finished pixels of one exposed level at every noise position; {@code level} -1 while unused. */
    private static final class Texture {
        int level = -1;
        byte[] data;
        long lastUse;
    }

    SensorModel(int width, int height, PixelFormat format, long seed) {
        this.pixels = width * height;
        this.bytesPerPixel = format.bytesPerPixel();
        this.noise = new byte[pixels + NOISE_SLACK];
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
        long textureBytes = (long) noise.length * bytesPerPixel;
        textures = new Texture[Math.clamp(TEXTURE_BUDGET / textureBytes, 2, 8)];
        for (int i = 0; i < textures.length; i++) {
            textures[i] = new Texture();
        }
    }

    /** The exposure factor f for an exposure time. */
    static double exposureFactor(double exposureUs) {
        return Math.clamp(exposureUs / 1000, 0.2, 2.0);
    }

    /** The noise offset of a frame: which stretch of the noise texture it reads. */
    static int noiseOffset(long noiseKey) {
        return (int) Math.floorMod(noiseKey, (long) NOISE_SLACK);
    }

    /** The noise texture (for tests that check the result against a lookup of every pixel). */
    byte[] noise() {
        return noise;
    }

    /**
     * Writes the exposed, noisy image of {@code scene} into {@code dst}: {@code pixels * bytesPerPixel} bytes from
     * index 0, then position 0 and limit at the end of the image.
     */
    void expose(SceneRuns scene, double exposureUs, long noiseKey, ByteBuffer dst) {
        if (scene.length() != pixels) {
            throw new IllegalArgumentException("scene of " + scene.length() + " pixels for a sensor of " + pixels);
        }
        if (exposureUs != tableExposureUs) {
            double f = exposureFactor(exposureUs);
            for (int v = 0; v < 256; v++) {
                exposed[v] = Math.clamp(Math.round(v * f), 0, 255);
            }
            tableExposureUs = exposureUs;
        }
        int offset = noiseOffset(noiseKey);
        int bpp = bytesPerPixel;
        int textured = pixels >>> TEXTURED_SHARE_SHIFT;
        for (int r = 0, n = scene.count(); r < n; r++) {
            int grey = scene.grey(r);
            int start = scene.start(r);
            int len = scene.end(r) - start;
            if (scene.pixelsOf(grey) >= textured) {
                dst.put(start * bpp, texture(exposed[grey]), (offset + start) * bpp, len * bpp);
            } else {
                dst.put(start * bpp, lookUp(exposed[grey], offset + start, len), 0, len * bpp);
            }
        }
        dst.limit(pixels * bpp).position(0);
    }

    /** The finished pixels of {@code len} positions from noise position {@code from} at one level, in scratch. */
    private byte[] lookUp(int level, int from, int len) {
        if (scratch.length < len * bytesPerPixel) {
            scratch = new byte[len * bytesPerPixel];
        }
        fill(scratch, level, from, len);
        return scratch;
    }

    private void fill(byte[] out, int level, int from, int len) {
        int base = level + NOISE_CUT;
        if (bytesPerPixel == 1) {
            for (int i = 0; i < len; i++) {
                out[i] = clamp8[base + noise[from + i]];
            }
        } else {
            for (int i = 0; i < len; i++) {
                short s = depth[clamp8[base + noise[from + i]] & 0xff];
                out[2 * i] = (byte) s;
                out[2 * i + 1] = (byte) (s >>> 8);
            }
        }
    }

    private byte[] texture(int level) {
        Texture oldest = textures[0];
        for (Texture t : textures) {
            if (t.level == level) {
                t.lastUse = ++uses;
                return t.data;
            }
            if (t.lastUse < oldest.lastUse) {
                oldest = t;
            }
        }
        if (oldest.data == null) {
            oldest.data = new byte[noise.length * bytesPerPixel];
        }
        fill(oldest.data, level, 0, noise.length);
        oldest.level = level;
        oldest.lastUse = ++uses;
        return oldest.data;
    }
}
