/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import io.linesight.rules.cv.OpenCv;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Builds real pooled frames from OpenCV images drawn by a test (the same path a camera driver takes). */
public final class TestFrames {
    private TestFrames() {
    }

    /** A Mono8 frame from a CV_8UC1 Mat, or a frame of {@code format} from a CV_16UC1 Mat. */
    public static Frame of(Mat image, PixelFormat format) {
        OpenCv.ensureLoaded();
        int bpp = format.bytesPerPixel();
        int expected = bpp == 1 ? CvType.CV_8UC1 : CvType.CV_16UC1;
        if (image.type() != expected) {
            throw new IllegalArgumentException("a " + format + " frame needs a " + CvType.typeToString(expected) + " image");
        }
        int w = image.cols();
        int h = image.rows();
        FramePool pool = new FramePool(1, w * h * bpp);
        FramePool.Slot slot = pool.acquire(0);
        ByteBuffer buf = slot.buffer().order(ByteOrder.LITTLE_ENDIAN);
        Mat contiguous = image.isContinuous() ? image : image.clone();
        if (bpp == 1) {
            byte[] data = new byte[w * h];
            contiguous.get(0, 0, data);
            buf.put(data);
        } else {
            short[] data = new short[w * h];
            contiguous.get(0, 0, data);
            buf.asShortBuffer().put(data);
        }
        buf.clear();
        return pool.publish(slot, new Frame.Builder().cameraId("test").format(format, w, h));
    }

    public static Frame mono8(Mat image) {
        return of(image, PixelFormat.MONO8);
    }
}
