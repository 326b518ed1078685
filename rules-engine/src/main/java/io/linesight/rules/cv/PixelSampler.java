/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;

/**
 * Reads single pixels and bilinear samples straight from a frame's buffer, for rules that look at a few thousand
 * points (calipers, circle rays) and should not copy or allocate native memory for it. Values are in the frame's
 * own units (0..255 for Mono8, 0..4095 for Mono12, …). Coordinates are pixel centres: (0,0) is the centre of the
 * first pixel. Valid only while the caller holds the frame; one instance per call (not thread-safe).
 */
public final class PixelSampler {
    private final ByteBuffer pixels;
    private final boolean wide;
    private final int stride;
    private final int width;
    private final int height;

    public PixelSampler(Frame frame) {
        this.pixels = frame.pixels();
        this.wide = frame.pixelFormat() != PixelFormat.MONO8;
        this.stride = frame.stride();
        this.width = frame.width();
        this.height = frame.height();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixel at (x, y), which must lie inside the frame. */
    public int at(int x, int y) {
        if (wide) {
            return pixels.getShort(y * stride + 2 * x) & 0xFFFF;
        }
        return pixels.get(y * stride + x) & 0xFF;
    }

    public boolean inside(double x, double y) {
        return x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
    }

    /** Bilinear interpolation at (x, y); NaN outside the frame. */
    public double bilinear(double x, double y) {
        if (!inside(x, y)) {
            return Double.NaN;
        }
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, width - 1);
        int y1 = Math.min(y0 + 1, height - 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
        double bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
