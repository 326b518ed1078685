/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.fanout.LatestImages;
import java.awt.image.BufferedImage;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * The HMI's own copy of one shot's image, 8-bit grey, possibly smaller than the frame. Overlays stay in frame pixels;
 * {@link #scale()} converts them to this image's pixels.
 *
 * @param frameWidth  width of the frame the overlays refer to
 * @param frameHeight height of that frame
 */
public record ShotImage(String shot, String partId, int width, int height, byte[] grey, int frameWidth, int frameHeight) {

    /** Image pixels per frame pixel (≤ 1). */
    public double scale() {
        return (double) width / frameWidth;
    }

    /** A viewer image as it is: its pixels are shared, not copied (viewer images are never written again). */
    public static ShotImage of(LatestImages.Image src) {
        return new ShotImage(src.shot(), src.partId(), src.width(), src.height(), src.grey(), src.frameWidth(),
                src.frameHeight());
    }

    /**
     * Copies a viewer image, subsampled further (nearest pixel) so that neither side exceeds {@code maxSide}; overlays
     * still refer to the frame the viewer image was taken from. Any thread.
     */
    public static ShotImage downscaledCopy(LatestImages.Image src, int maxSide) {
        int step = Math.max(1, (int) Math.ceil(Math.max(src.width(), src.height()) / (double) maxSide));
        int w = src.width() / step;
        int h = src.height() / step;
        byte[] dst = new byte[w * h];
        byte[] in = src.grey();
        for (int y = 0; y < h; y++) {
            int row = y * step * src.width();
            for (int x = 0; x < w; x++) {
                dst[y * w + x] = in[row + x * step];
            }
        }
        return new ShotImage(src.shot(), src.partId(), w, h, dst, src.frameWidth(), src.frameHeight());
    }

    /**
     * A stored image (an archived shot, 8- or 16-bit grey or colour) as a viewer image, subsampled so that neither side
     * exceeds {@code maxSide}; the image's own size is the frame size. Any thread.
     */
    public static ShotImage downscaledCopy(BufferedImage src, String shot, String partId, int maxSide) {
        int step = Math.max(1, (int) Math.ceil(Math.max(src.getWidth(), src.getHeight()) / (double) maxSide));
        int w = src.getWidth() / step;
        int h = src.getHeight() / step;
        byte[] dst = new byte[w * h];
        boolean grey16 = src.getType() == BufferedImage.TYPE_USHORT_GRAY;
        boolean grey8 = src.getType() == BufferedImage.TYPE_BYTE_GRAY;
        var raster = src.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = x * step;
                int sy = y * step;
                int v = grey8 ? raster.getSample(sx, sy, 0) : grey16 ? raster.getSample(sx, sy, 0) >> 8
                        : src.getRGB(sx, sy) >> 8 & 0xff; // colour: green, near enough to luminance for a view
                dst[y * w + x] = (byte) v;
            }
        }
        return new ShotImage(shot, partId, w, h, dst, src.getWidth(), src.getHeight());
    }

    /** This image as a new JavaFX image (allocates: for still images, not the live view). FX thread. */
    WritableImage toFxImage() {
        WritableImage out = new WritableImage(width, height);
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) {
            int v = grey[i] & 0xff;
            px[i] = 0xff000000 | v << 16 | v << 8 | v;
        }
        out.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), px, 0, width);
        return out;
    }
}
