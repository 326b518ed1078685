/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.fanout.LatestImages;

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

    /**
     * Copies a viewer image, subsampled (nearest pixel) so that neither side exceeds {@code maxSide}. Called on the
     * viewer-dispatch thread; the source array may be overwritten by the next part meanwhile, which at worst mixes
     * two consecutive images for one display refresh.
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
        return new ShotImage(src.shot(), src.partId(), w, h, dst, src.width(), src.height());
    }
}
