/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

/**
 * Monochrome pixel formats (GenICam PFNC names). Packed and unpacked Mono10/12 are unpacked by the driver into
 * 16-bit little-endian pixels, so the pipeline sees {@link #MONO8} or 16-bit data only.
 */
public enum PixelFormat {
    MONO8(8, 1),
    MONO10(10, 2),
    MONO12(12, 2),
    MONO16(16, 2);

    private final int bitDepth;
    private final int bytesPerPixel;

    PixelFormat(int bitDepth, int bytesPerPixel) {
        this.bitDepth = bitDepth;
        this.bytesPerPixel = bytesPerPixel;
    }

    /** Significant bits per pixel. */
    public int bitDepth() {
        return bitDepth;
    }

    /** Bytes per pixel in a {@code Frame} buffer (after any unpacking). */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** Largest pixel value. */
    public int maxValue() {
        return (1 << bitDepth) - 1;
    }
}
