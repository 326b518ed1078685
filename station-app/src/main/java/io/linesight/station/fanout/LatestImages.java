/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest image of each shot, copied for viewers into buffers reused from one copy to the next (no allocation in
 * steady state). Copies are taken at most {@code maxFps} times a second and only while someone listens.
 */
public final class LatestImages {

    /** A copy of one shot's pixels: 8-bit grey (16-bit frames are scaled down), row-major, no padding. */
    public record Image(String shot, String camera, String partId, int width, int height, byte[] grey) {
    }

    private final Map<String, Image> latest = new ConcurrentHashMap<>();
    private final long minIntervalNanos;
    private volatile long lastCopyNanos;

    public LatestImages(int maxFps) {
        this.minIntervalNanos = 1_000_000_000L / Math.max(1, maxFps);
    }

    /** The latest image of a shot, or null. The array may be overwritten by the next copy: copy it to keep it. */
    public Image get(String shot) {
        return latest.get(shot);
    }

    public Map<String, Image> all() {
        return Map.copyOf(latest);
    }

    /** Copies the part's frames if the rate allows; returns whether it did. Called on the deciding thread. */
    boolean offer(AcquiredPart part) {
        long now = System.nanoTime();
        if (now - lastCopyNanos < minIntervalNanos) {
            return false;
        }
        lastCopyNanos = now;
        for (ShotFrame sf : part.shots()) {
            Frame f = sf.frame();
            Image old = latest.get(sf.shot());
            int n = f.width() * f.height();
            byte[] dst = old != null && old.grey().length == n ? old.grey() : new byte[n];
            ByteBuffer src = f.pixels();
            if (f.pixelFormat() == PixelFormat.MONO8) {
                for (int y = 0; y < f.height(); y++) {
                    src.get(y * f.stride(), dst, y * f.width(), f.width());
                }
            } else {
                int shift = f.pixelFormat().bitDepth() - 8;
                for (int y = 0; y < f.height(); y++) {
                    int row = y * f.stride();
                    for (int x = 0; x < f.width(); x++) {
                        dst[y * f.width() + x] = (byte) ((src.getShort(row + 2 * x) & 0xffff) >>> shift);
                    }
                }
            }
            latest.put(sf.shot(), new Image(sf.shot(), sf.camera(), part.part().partId(), f.width(), f.height(), dst));
        }
        return true;
    }
}
