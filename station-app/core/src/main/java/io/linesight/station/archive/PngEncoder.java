/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import io.linesight.config.PixelFormat;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes a monochrome frame as a standard greyscale PNG (8-bit for Mono8, 16-bit for Mono10/12/16), exactly as the
 * camera delivered it: lossless, every reader (ImageIO, OpenCV, PIL, a browser) decodes the same pixels. Built for the
 * archive's thread: one fixed row filter and a low deflate level chosen by measurement (docs/BENCHMARKS.md, "Archive
 * image encoding") instead of ImageIO's per-row adaptive filtering at its default level, and every buffer reused from
 * one image to the next.
 *
 * <p>One thread per instance; {@link #encode} returns a view of an internal buffer that the next call overwrites.
 */
public final class PngEncoder {
    /** The PNG row filters this encoder can apply to every row. */
    enum Filter {
        NONE(0), SUB(1), UP(2);

        final int code;

        Filter(int code) {
            this.code = code;
        }
    }

    /** The encoding the archive uses: deflate level 1 with the Up filter (see docs/BENCHMARKS.md). */
    static final int LEVEL = 1;
    static final Filter FILTER = Filter.UP;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Deflater deflater;
    private final Filter filter;
    private final CRC32 crc = new CRC32();
    private byte[] row = new byte[0];
    private byte[] prior = new byte[0];
    private byte[] filtered = new byte[0];
    private byte[] out = new byte[1 << 16];
    private int size;

    public PngEncoder() {
        this(LEVEL, FILTER);
    }

    PngEncoder(int level, Filter filter) {
        this.deflater = new Deflater(level);
        this.filter = filter;
    }

    /** The bytes of the last {@link #encode}: {@code [0, size())} of {@link #bytes()}. */
    public byte[] bytes() {
        return out;
    }

    public int size() {
        return size;
    }

    /**
     * Encodes {@code pixels} (rows packed, no stride; 16-bit formats little-endian as the camera API delivers them).
     * Returns the PNG's length; the bytes are {@link #bytes()}.
     */
    public int encode(int width, int height, PixelFormat format, byte[] pixels) {
        int bpp = format.bytesPerPixel();
        int rowBytes = width * bpp;
        if (pixels.length < (long) rowBytes * height) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes for " + width + "x" + height + " "
                    + format);
        }
        if (row.length != rowBytes) {
            row = new byte[rowBytes];
            prior = new byte[rowBytes];
            filtered = new byte[rowBytes + 1];
        }
        Arrays.fill(prior, (byte) 0);
        size = 0;
        ensure(rowBytes / 2 + 1024);
        put(SIGNATURE, 0, SIGNATURE.length);
        byte[] ihdr = new byte[13];
        int32(ihdr, 0, width);
        int32(ihdr, 4, height);
        ihdr[8] = (byte) (bpp == 1 ? 8 : 16);
        ihdr[9] = 0; // greyscale
        chunk("IHDR", ihdr, 0, 13);

        int idatStart = size;
        size += 8; // length and type, filled in below
        deflater.reset();
        for (int y = 0; y < height; y++) {
            int from = y * rowBytes;
            if (bpp == 1) {
                System.arraycopy(pixels, from, row, 0, rowBytes);
            } else {
                for (int k = 0; k < rowBytes; k += 2) { // PNG stores 16-bit samples big-endian
                    row[k] = pixels[from + k + 1];
                    row[k + 1] = pixels[from + k];
                }
            }
            filterRow(bpp, rowBytes);
            deflater.setInput(filtered, 0, rowBytes + 1);
            drain(false);
            byte[] t = prior;
            prior = row;
            row = t;
        }
        deflater.finish();
        drain(true);
        int dataLength = size - idatStart - 8;
        int32(out, idatStart, dataLength);
        out[idatStart + 4] = 'I';
        out[idatStart + 5] = 'D';
        out[idatStart + 6] = 'A';
        out[idatStart + 7] = 'T';
        crc.reset();
        crc.update(out, idatStart + 4, dataLength + 4);
        ensure(4);
        int32(out, size, (int) crc.getValue());
        size += 4;
        chunk("IEND", new byte[0], 0, 0);
        return size;
    }

    private void filterRow(int bpp, int rowBytes) {
        filtered[0] = (byte) filter.code;
        switch (filter) {
            case NONE -> System.arraycopy(row, 0, filtered, 1, rowBytes);
            case SUB -> {
                System.arraycopy(row, 0, filtered, 1, bpp);
                for (int k = bpp; k < rowBytes; k++) {
                    filtered[k + 1] = (byte) (row[k] - row[k - bpp]);
                }
            }
            case UP -> {
                for (int k = 0; k < rowBytes; k++) {
                    filtered[k + 1] = (byte) (row[k] - prior[k]);
                }
            }
        }
    }

    private void drain(boolean finishing) {
        while (finishing ? !deflater.finished() : !deflater.needsInput()) {
            ensure(1 << 15);
            size += deflater.deflate(out, size, out.length - size);
        }
    }

    private void chunk(String type, byte[] data, int from, int length) {
        ensure(length + 12);
        int32(out, size, length);
        int typeAt = size + 4;
        for (int k = 0; k < 4; k++) {
            out[typeAt + k] = (byte) type.charAt(k);
        }
        System.arraycopy(data, from, out, typeAt + 4, length);
        crc.reset();
        crc.update(out, typeAt, length + 4);
        size = typeAt + 4 + length;
        int32(out, size, (int) crc.getValue());
        size += 4;
    }

    private void put(byte[] b, int from, int length) {
        ensure(length);
        System.arraycopy(b, from, out, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }

    private static void int32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
