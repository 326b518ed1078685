/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Viewer copies of a part's images, made on the deciding thread while the frames are still the station's: each shot
 * downscaled once (nearest pixel, an integer step, so that neither side exceeds {@link #MAX_SIDE}) straight from the
 * frame buffer into an 8-bit copy that nobody writes again. Every viewer (HMI screens, the remote-HMI publisher)
 * shares that one copy. Copies are made at most {@code maxFps} times a second; a part decided in between gets none.
 */
public final class LatestImages {
    /** Viewer images are at most this large: the HMI's live view, the largest a viewer shows. */
    public static final int MAX_SIDE = 960;

    /**
     * One shot's viewer copy: 8-bit grey (16-bit frames are scaled down), row-major, no padding, never written again.
     * Overlays stay in frame pixels: {@link #scale()} converts them to this image.
     */
    public record Image(String shot, String camera, String partId, int width, int height, byte[] grey, int frameWidth,
                        int frameHeight) {

        /** A copy at the frame's own size. */
        public Image(String shot, String camera, String partId, int width, int height, byte[] grey) {
            this(shot, camera, partId, width, height, grey, width, height);
        }

        /** Image pixels per frame pixel (≤ 1). */
        public double scale() {
            return (double) width / frameWidth;
        }
    }

    /** The viewer copies of one part's shots, by shot name in the recipe's order. */
    public record PartImages(String partId, Map<String, Image> shots) {
        public PartImages {
            shots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shots));
        }
    }

    private final long minIntervalNanos;
    private final int maxSide;
    // parts are decided on several threads (inspection workers, the deadline watchdog): one claims each copy slot
    private final AtomicLong lastCopyNanos = new AtomicLong(Long.MIN_VALUE / 2);

    public LatestImages(int maxFps) {
        this(maxFps, MAX_SIDE);
    }

    public LatestImages(int maxFps, int maxSide) {
        this.minIntervalNanos = 1_000_000_000L / Math.max(1, maxFps);
        this.maxSide = maxSide;
    }

    /**
     * The part's viewer copies if the rate allows, else null. Called on the thread that decided the part, before the
     * frames go back to their pool; any number of such threads.
     */
    @Nullable PartImages offer(AcquiredPart part) {
        long now = System.nanoTime();
        long last = lastCopyNanos.get();
        if (now - last < minIntervalNanos || part.shots().isEmpty() || !lastCopyNanos.compareAndSet(last, now)) {
            return null;
        }
        Map<String, Image> shots = new LinkedHashMap<>();
        for (ShotFrame sf : part.shots()) {
            shots.put(sf.shot(), copy(sf, part.part().partId(), maxSide));
        }
        return new PartImages(part.part().partId(), shots);
    }

    /** One shot downscaled by the smallest integer step that fits {@code maxSide}, read straight from the frame. */
    static Image copy(ShotFrame sf, String partId, int maxSide) {
        Frame f = sf.frame();
        int step = Math.max(1, (int) Math.ceil(Math.max(f.width(), f.height()) / (double) maxSide));
        int w = f.width() / step;
        int h = f.height() / step;
        byte[] dst = new byte[w * h];
        ByteBuffer src = f.pixels();
        if (f.pixelFormat() == PixelFormat.MONO8) {
            if (step == 1) {
                for (int y = 0; y < h; y++) {
                    src.get(y * f.stride(), dst, y * w, w);
                }
            } else {
                for (int y = 0; y < h; y++) {
                    int row = y * step * f.stride();
                    for (int x = 0; x < w; x++) {
                        dst[y * w + x] = src.get(row + x * step);
                    }
                }
            }
        } else {
            int shift = f.pixelFormat().bitDepth() - 8;
            for (int y = 0; y < h; y++) {
                int row = y * step * f.stride();
                for (int x = 0; x < w; x++) {
                    dst[y * w + x] = (byte) ((src.getShort(row + 2 * x * step) & 0xffff) >>> shift);
                }
            }
        }
        return new Image(sf.shot(), sf.camera(), partId, w, h, dst, f.width(), f.height());
    }
}
