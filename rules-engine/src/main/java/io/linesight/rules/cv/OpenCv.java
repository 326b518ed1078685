/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import org.bytedeco.javacpp.Loader;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Loads OpenCV's native library once (bytedeco {@code opencv_java}, see docs/DECISIONS.md) and wraps frames as
 * {@link Mat}s without copying.
 */
public final class OpenCv {
    private OpenCv() {
    }

    private static final class Holder {
        static final boolean LOADED = load();

        private static boolean load() {
            Loader.load(org.bytedeco.opencv.opencv_java.class);
            return true;
        }
    }

    /** Loads the natives if not yet loaded; cheap after the first call. */
    public static void ensureLoaded() {
        if (!Holder.LOADED) {
            throw new IllegalStateException("OpenCV did not load");
        }
    }

    /**
     * A Mat over the frame's pixels (no copy): CV_8UC1 for Mono8, CV_16UC1 otherwise. Valid only while the caller
     * holds a reference to the frame; release it before closing the frame.
     */
    public static Mat wrap(Frame frame) {
        ensureLoaded();
        int type = frame.pixelFormat() == PixelFormat.MONO8 ? CvType.CV_8UC1 : CvType.CV_16UC1;
        return new Mat(frame.height(), frame.width(), type, frame.pixels(), frame.stride());
    }

    /**
     * An 8-bit view of {@code src}: itself for 8-bit data, else scaled from the format's full range into
     * {@code scratch}.
     */
    public static Mat to8Bit(Mat src, PixelFormat format, Mat scratch) {
        if (format == PixelFormat.MONO8) {
            return src;
        }
        src.convertTo(scratch, CvType.CV_8U, 255.0 / format.maxValue());
        return scratch;
    }

    /** The ROI moved by the fixture offset and clipped to the frame; null when nothing of it is left. */
    public static @Nullable Rect clip(int x, int y, int w, int h, int frameWidth, int frameHeight) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(frameWidth, x + w);
        int y1 = Math.min(frameHeight, y + h);
        if (x1 <= x0 || y1 <= y0) {
            return null;
        }
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }
}
