/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.Frame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The part-id stamp of the synthetic camera: a strip of 8x8-pixel cells along the bottom-left edge of every frame,
 * bright (the plate's grey) for a 1 and dark (the background's) for a 0, that carries {@link #idOf(String)} of the
 * part the frame was taken of. A checker reads it back with {@link #read} and so knows which part an image, and the
 * verdict that came from it, belongs to.
 *
 * <p><b>Layout.</b> 84 cells in row-major order: the sync pattern 1, 0, 1, 0; the 64 bits of the id, most significant
 * first; a CRC-16/CCITT-FALSE of the id's 8 bytes (big-endian), most significant bit first. The strip starts 8 px
 * from the left edge and ends 8 px above the bottom edge; it is {@code min(84, (W - 16) / 8)} cells wide and as many
 * rows high as the 84 cells need (one row of 672 x 8 px from 688 px of width up). It lies below any part the camera
 * draws and outside every region the demo recipe inspects; a frame too small to keep it clear of the part carries
 * no stamp.
 *
 * <p><b>Reading.</b> Each cell's value is the mean of its inner 6x6 pixels, so sensor noise and a pixel or two of
 * blur do not matter. The sync cells give the threshold (halfway between their bright and dark means) and the
 * contrast, which must stand at least four times above the noise inside them (a spread that stray pixels do not
 * move: the median absolute deviation); a cell closer to the threshold than a
 * fifth of the contrast, or a checksum that does not match, gives no id rather than a wrong one. The camera paints
 * the stamp into the scene before exposure, so it brightens and darkens with the exposure like the part does.
 *
 * <p>All methods are static and thread-safe; reading copies no pixels.
 */
public final class PartStamp {
    /** Side of a cell in pixels. */
    public static final int CELL = 8;
    /** Distance of the strip from the left and bottom edges of the frame. */
    public static final int MARGIN = 8;
    private static final int[] SYNC = {1, 0, 1, 0};
    private static final int ID_BITS = 64;
    private static final int CHECK_BITS = 16;
    /** Cells of a stamp: sync, id, checksum. */
    static final int CELLS = SYNC.length + ID_BITS + CHECK_BITS;
    /** Inner pixels of a cell that are read (a 1-pixel border is left out). */
    private static final int INSET = 1;
    private static final double MIN_CONTRAST_TO_NOISE = 4;
    private static final double AMBIGUOUS_SHARE = 0.2;

    private PartStamp() {
    }

    /**
     * Where the strip lies in a frame, in pixels.
     *
     * @param x       left edge
     * @param y       top edge
     * @param columns cells per row
     * @param rows    rows of cells
     */
    record Strip(int x, int y, int columns, int rows) {
        int cellX(int i) {
            return x + (i % columns) * CELL;
        }

        int cellY(int i) {
            return y + (i / columns) * CELL;
        }

        int bottom() {
            return y + rows * CELL;
        }
    }

    /** The strip of a {@code width x height} frame, or null when the frame cannot hold one. */
    static @Nullable Strip strip(int width, int height) {
        int columns = Math.min(CELLS, (width - 2 * MARGIN) / CELL);
        if (columns < SYNC.length) {
            return null;
        }
        int rows = (CELLS + columns - 1) / columns;
        int y = height - MARGIN - rows * CELL;
        return y < MARGIN ? null : new Strip(MARGIN, y, columns, rows);
    }

    /** The id the synthetic camera stamps for a part id: a 64-bit FNV-1a hash of its characters. */
    public static long idOf(String partId) {
        return PartGenerator.partKey(partId);
    }

    /** The 84 cell values of a stamp for {@code id}. */
    static boolean[] cells(long id) {
        boolean[] c = new boolean[CELLS];
        for (int i = 0; i < SYNC.length; i++) {
            c[i] = SYNC[i] == 1;
        }
        for (int b = 0; b < ID_BITS; b++) {
            c[SYNC.length + b] = (id >>> (ID_BITS - 1 - b) & 1) == 1;
        }
        int crc = crc16(id);
        for (int b = 0; b < CHECK_BITS; b++) {
            c[SYNC.length + ID_BITS + b] = (crc >>> (CHECK_BITS - 1 - b) & 1) == 1;
        }
        return c;
    }

    /** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) of the id's 8 bytes, big-endian. */
    static int crc16(long id) {
        int crc = 0xFFFF;
        for (int i = 7; i >= 0; i--) {
            crc ^= (int) (id >>> (8 * i) & 0xFF) << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1 ^ 0x1021) & 0xFFFF : crc << 1 & 0xFFFF;
            }
        }
        return crc;
    }

    /** Paints the stamp of {@code id} into an 8-bit image ({@code width} bytes a row): {@code one} and {@code zero} greys. */
    static void paint(byte[] image, int width, Strip strip, long id, byte zero, byte one) {
        boolean[] c = cells(id);
        for (int i = 0; i < CELLS; i++) {
            byte grey = c[i] ? one : zero;
            int x = strip.cellX(i);
            for (int y = strip.cellY(i), end = y + CELL; y < end; y++) {
                Arrays.fill(image, y * width + x, y * width + x + CELL, grey);
            }
        }
    }

    /** Reads the stamp of a frame (Mono8 or a 16-bit format), from the frame's pixels and stride. */
    public static Optional<Long> read(Frame frame) {
        return read(frame.pixels(), frame.width(), frame.height(), frame.pixelFormat().bytesPerPixel(), frame.stride());
    }

    /**
     * Reads the stamp of a packed image: {@code width x height} pixels from the buffer's position, rows packed,
     * one byte a pixel or two (little-endian) as the remaining bytes say.
     *
     * @throws IllegalArgumentException when the remaining bytes are neither one nor two per pixel
     */
    public static Optional<Long> read(ByteBuffer pixels, int width, int height) {
        long n = (long) width * height;
        int bpp = n > 0 && pixels.remaining() == n ? 1 : n > 0 && pixels.remaining() == 2 * n ? 2 : 0;
        if (bpp == 0) {
            throw new IllegalArgumentException(pixels.remaining() + " bytes are not a " + width + "x" + height
                    + " image of 1 or 2 bytes a pixel");
        }
        return read(pixels, width, height, bpp, width * bpp);
    }

    /** Reads the stamp of a packed image held in an array; see {@link #read(ByteBuffer, int, int)}. */
    public static Optional<Long> read(byte[] pixels, int width, int height) {
        return read(ByteBuffer.wrap(pixels), width, height);
    }

    /**
     * Reads the stamp of an image in a buffer, from its position.
     *
     * @param bytesPerPixel 1, or 2 for 16-bit pixels (little-endian)
     * @param stride        bytes from the start of one row to the next
     * @return the id, or empty when the image carries no readable stamp
     */
    public static Optional<Long> read(ByteBuffer pixels, int width, int height, int bytesPerPixel, int stride) {
        Strip s = strip(width, height);
        if (s == null || (bytesPerPixel != 1 && bytesPerPixel != 2)
                || (long) (s.bottom() - 1) * stride + (long) width * bytesPerPixel > pixels.remaining()) {
            return Optional.empty();
        }
        CellReader cells = new CellReader(pixels, pixels.position(), bytesPerPixel, stride);
        double one = (cells.mean(s, 0) + cells.mean(s, 2)) / 2;
        double zero = (cells.mean(s, 1) + cells.mean(s, 3)) / 2;
        double contrast = one - zero;
        double noise = 0;
        for (int i = 0; i < SYNC.length; i++) {
            noise = Math.max(noise, cells.deviation(s, i));
        }
        if (!(contrast > 0) || contrast < MIN_CONTRAST_TO_NOISE * noise) {
            return Optional.empty();
        }
        double threshold = (one + zero) / 2;
        long id = 0;
        int crc = 0;
        for (int i = SYNC.length; i < CELLS; i++) {
            double m = cells.mean(s, i);
            if (Math.abs(m - threshold) < AMBIGUOUS_SHARE * contrast) {
                return Optional.empty();
            }
            int bit = m > threshold ? 1 : 0;
            if (i < SYNC.length + ID_BITS) {
                id = id << 1 | bit;
            } else {
                crc = crc << 1 | bit;
            }
        }
        return crc == crc16(id) ? Optional.of(id) : Optional.empty();
    }

    /** Mean and spread of the inner pixels of a cell. */
    private record CellReader(ByteBuffer px, int base, int bytesPerPixel, int stride, int[] values) {
        private static final int SIDE = CELL - 2 * INSET;

        CellReader(ByteBuffer px, int base, int bytesPerPixel, int stride) {
            this(px, base, bytesPerPixel, stride, new int[SIDE * SIDE]);
        }

        private int at(int x, int y) {
            int i = base + y * stride + x * bytesPerPixel;
            return bytesPerPixel == 1 ? px.get(i) & 0xff : (px.get(i) & 0xff) | (px.get(i + 1) & 0xff) << 8;
        }

        /** Reads the cell's inner pixels into {@code values}. */
        private void load(Strip s, int cell) {
            int x0 = s.cellX(cell) + INSET;
            int y0 = s.cellY(cell) + INSET;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    values[y * SIDE + x] = at(x0 + x, y0 + y);
                }
            }
        }

        double mean(Strip s, int cell) {
            load(s, cell);
            long sum = 0;
            for (int v : values) {
                sum += v;
            }
            return (double) sum / values.length;
        }

        /**
         * The noise inside a cell as a standard deviation estimated from the median absolute deviation, which a
         * few stray pixels do not move.
         */
        double deviation(Strip s, int cell) {
            load(s, cell);
            Arrays.sort(values);
            int median = values[values.length / 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.abs(values[i] - median);
            }
            Arrays.sort(values);
            return 1.4826 * values[values.length / 2];
        }
    }
}
