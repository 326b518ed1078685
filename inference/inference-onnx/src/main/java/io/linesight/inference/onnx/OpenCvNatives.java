/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import org.bytedeco.javacpp.Loader;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Loads bytedeco's {@code opencv_java} once and wraps frames as {@link Mat}s without copying. */
final class OpenCvNatives {
    private OpenCvNatives() {
    }

    private static final class Holder {
        static final boolean LOADED = load();

        private static boolean load() {
            Loader.load(org.bytedeco.opencv.opencv_java.class);
            return true;
        }
    }

    static void ensureLoaded() {
        if (!Holder.LOADED) {
            throw new IllegalStateException("OpenCV did not load");
        }
    }

    /** A Mat header over the frame's pixels; valid while the frame is held; the caller releases it. */
    static Mat wrap(Frame frame) {
        ensureLoaded();
        int type = frame.pixelFormat() == PixelFormat.MONO8 ? CvType.CV_8UC1 : CvType.CV_16UC1;
        return new Mat(frame.height(), frame.width(), type, frame.pixels(), frame.stride());
    }
}
