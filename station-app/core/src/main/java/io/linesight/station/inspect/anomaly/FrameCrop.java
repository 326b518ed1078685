/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect.anomaly;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A frame's region as an 8-bit grey image for the anomaly model. 16-bit frames keep their top 8 significant bits
 * (the archive's grey view of them does the same), so a model learned from archived images sees the same levels.
 */
final class FrameCrop {
    private FrameCrop() {
    }

    /**
     * @param roi the region in frame pixels, or null for the whole frame
     * @throws IllegalArgumentException when the region does not lie inside the frame
     */
    static BufferedImage grey(Frame frame, @Nullable Roi roi) {
        int x0 = roi == null ? 0 : roi.x();
        int y0 = roi == null ? 0 : roi.y();
        int w = roi == null ? frame.width() : roi.width();
        int h = roi == null ? frame.height() : roi.height();
        if (x0 + w > frame.width() || y0 + h > frame.height()) {
            throw new IllegalArgumentException("anomaly roi " + x0 + "," + y0 + " " + w + "x" + h + " does not fit the "
                    + frame.width() + "x" + frame.height() + " frame of camera " + frame.cameraId());
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        ByteBuffer px = frame.pixels();
        int bpp = frame.pixelFormat().bytesPerPixel();
        int shift = frame.pixelFormat().bitDepth() - 8;
        for (int y = 0; y < h; y++) {
            int row = (y0 + y) * frame.stride() + x0 * bpp;
            if (bpp == 1) {
                px.get(row, out, y * w, w);
            } else {
                for (int x = 0; x < w; x++) {
                    int v = px.getShort(row + 2 * x) & 0xffff;
                    out[y * w + x] = (byte) Math.min(255, v >>> shift);
                }
            }
        }
        return img;
    }
}
