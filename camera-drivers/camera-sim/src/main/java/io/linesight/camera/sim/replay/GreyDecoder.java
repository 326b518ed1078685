/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import io.linesight.camera.api.CameraException;
import io.linesight.config.PixelFormat;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an image file with {@link ImageIO} into frame pixels of the camera's format.
 *
 * <p><b>Errors.</b> Anything but a complete image of the camera's size is a {@link CameraException} whose message
 * starts with the file: no decoder for the format, a header of another size (checked before any pixel is decoded, so
 * a header claiming a huge image allocates nothing), a truncated or corrupt file (the decoder's warnings, such as a
 * JPEG's "premature end of data", count as errors: a half-grey frame must not be judged as a part). Nothing else is
 * thrown for any input.
 *
 * <p>Grey images keep their values: 8-bit stays 8-bit; fewer bits are stretched to 8; 16-bit into a Mono8 frame is
 * shifted right by 8; 8-bit into a 16-bit frame is scaled to the format's range (x257 for Mono16); 16-bit into
 * Mono10/12 is shifted right to the format's bit depth. Colour and palette images become grey by luma
 * {@code (77 R + 150 G + 29 B) / 256} of their 8-bit sRGB values.
 */
final class GreyDecoder {
    private final PixelFormat format;
    private final int width;
    private final int height;

    GreyDecoder(PixelFormat format, int width, int height) {
        this.format = format;
        this.width = width;
        this.height = height;
    }

    int frameBytes() {
        return width * height * format.bytesPerPixel();
    }

    /** Width and height from the file's header, without decoding the pixels. */
    static int[] size(Path file) throws CameraException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(file.toString(), in);
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /** Decodes {@code file} and writes its pixels into {@code dst} from position 0. */
    void decode(Path file, ByteBuffer dst) throws CameraException {
        if (!Files.isRegularFile(file)) {
            dst.clear().limit(0);
            throw new CameraException(CameraException.Code.DEVICE_ERROR, file + ": image file is gone");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            decode(file.toString(), in, dst);
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /**
     * Decodes one image from {@code in} ({@code name} is how errors name it) into {@code dst}; on an error
     * {@code dst} holds no frame (its limit is 0).
     */
    void decode(String name, @Nullable ImageInputStream in, ByteBuffer dst) throws CameraException {
        dst.clear().limit(0);
        BufferedImage img;
        ImageReader reader = reader(name, in);
        try {
            refuseWrappedBmp(name, reader, in);
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != width || h != height) {
                throw sizeMismatch(name, w, h);
            }
            refuseOddSamples(name, reader);
            List<String> warnings = new ArrayList<>(1);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            img = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new CameraException(CameraException.Code.DEVICE_ERROR, name + ": truncated or corrupt image: "
                        + warnings.getFirst());
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(name, e);
        } finally {
            reader.dispose();
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            throw sizeMismatch(name, img.getWidth(), img.getHeight());
        }
        dst.clear();
        write(img, dst);
        dst.flip();
    }

    private void write(BufferedImage img, ByteBuffer dst) {
        ColorModel cm = img.getColorModel();
        boolean grey = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int[] row = new int[width];
        boolean wide = format.bytesPerPixel() == 2;
        if (grey) {
            Raster raster = img.getRaster();
            int bits = cm.getComponentSize(0);
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    put(dst, wide, fromGrey(row[x], bits));
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                img.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int rgb = row[x];
                    int luma = (77 * (rgb >> 16 & 0xff) + 150 * (rgb >> 8 & 0xff) + 29 * (rgb & 0xff) + 128) >> 8;
                    put(dst, wide, fromGrey(luma, 8));
                }
            }
        }
    }

    private static ImageReader reader(String name, @Nullable ImageInputStream in) throws CameraException {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, name + ": no image decoder for this file");
        }
        return readers.next();
    }

    /**
     * The JDK's BMP reader allocates the header's image size in one array for a BMP that wraps a JPEG or PNG
     * (compression 4 or 5), whatever the file holds: 907 bytes found by fuzzing claimed 2 GB and took 17 s (an
     * OutOfMemoryError on a smaller heap). Such files are refused from their header; the JPEG or PNG plays as itself.
     */
    private static void refuseWrappedBmp(String name, ImageReader reader, ImageInputStream in)
            throws IOException, CameraException {
        if (!reader.getFormatName().equalsIgnoreCase("bmp")) {
            return;
        }
        byte[] head = new byte[34];
        in.mark();
        try {
            in.readFully(head);
        } catch (EOFException e) {
            return; // too short to be a BMP: the reader says so
        } finally {
            in.reset();
        }
        ByteBuffer le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        // BITMAPINFOHEADER and later (40+ bytes) have the compression at offset 30; the 12-byte OS/2 header has none.
        if (le.getInt(14) >= 40 && (le.getInt(30) == 4 || le.getInt(30) == 5)) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, name + ": a BMP that wraps a JPEG or PNG is "
                    + "not played; use the JPEG or PNG file itself");
        }
    }

    /**
     * The JDK's TIFF reader sizes its work from the header's samples per pixel and bits per sample, whatever the file
     * holds: 308 bytes found by fuzzing claimed 288 samples of 32 bits for a 16x16 image and ran a 1.8 GB heap out of
     * memory (16 such samples already took 1.7 GB and 2 s). A camera image has at most 4 samples a pixel (grey, grey
     * and alpha, RGB, RGBA) of at most 16 bits; a header that claims more is refused before any pixel is decoded.
     */
    private static void refuseOddSamples(String name, ImageReader reader) throws IOException, CameraException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw == null) {
            return; // the reader cannot say before decoding; the formats that do so (not TIFF) size by width x height
        }
        int bands = raw.getNumBands();
        int bits = 0;
        for (int b = 0; b < bands; b++) {
            bits = Math.max(bits, raw.getBitsPerBand(b));
        }
        if (bands > MAX_SAMPLES || bits > MAX_BITS) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, name + ": " + bands + " samples a pixel of up to "
                    + bits + " bits; a camera image has at most " + MAX_SAMPLES + " of at most " + MAX_BITS + " bits");
        }
    }

    private static final int MAX_SAMPLES = 4;
    private static final int MAX_BITS = 16;

    private static CameraException unreadable(String name, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CameraException(CameraException.Code.DEVICE_ERROR, name + ": truncated or corrupt image: " + why, e);
    }

    CameraException sizeMismatch(Object file, int w, int h) {
        return new CameraException(CameraException.Code.BAD_SETTING, file + ": image is " + w + "x" + h
                + " but the camera is configured for " + width + "x" + height + " (cameras[].width/height)");
    }

    /** A grey sample of {@code bits} bits as a value of the frame's format. */
    private int fromGrey(int v, int bits) {
        // a damaged file may carry samples beyond its own bit depth: keep them within it, or they overflow the format
        v = Math.clamp(v, 0, bits >= 31 ? Integer.MAX_VALUE : (1 << bits) - 1);
        int target = format.bitDepth();
        if (format.bytesPerPixel() == 1) {
            return bits == 8 ? v : bits > 8 ? v >>> (bits - 8) : v * 255 / ((1 << bits) - 1);
        }
        if (bits == 16) {
            return v >>> (16 - target);
        }
        int v8 = bits == 8 ? v : bits > 8 ? v >>> (bits - 8) : v * 255 / ((1 << bits) - 1);
        return (int) Math.round(v8 * (double) format.maxValue() / 255);
    }

    private static void put(ByteBuffer dst, boolean wide, int v) {
        if (wide) {
            dst.put((byte) v);
            dst.put((byte) (v >>> 8));
        } else {
            dst.put((byte) v);
        }
    }
}
