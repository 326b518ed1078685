/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.teach;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Wraps an 8-bit image read from disk as a Mono8 frame (teach, tools and benchmarks; not the inspection path). */
public final class MatFrames {
    private MatFrames() {
    }

    public static Frame of(Mat image) {
        if (image.type() != CvType.CV_8UC1) {
            throw new IllegalArgumentException("an 8-bit greyscale image is needed, not " + CvType.typeToString(image.type()));
        }
        int w = image.cols();
        int h = image.rows();
        FramePool pool = new FramePool(1, w * h);
        FramePool.Slot slot = pool.acquire(0);
        byte[] row = new byte[w];
        ByteBuffer buf = slot.buffer();
        for (int y = 0; y < h; y++) {
            image.get(y, 0, row);
            buf.put(row);
        }
        buf.clear();
        return pool.publish(slot, new Frame.Builder().cameraId("image").format(PixelFormat.MONO8, w, h));
    }
}
