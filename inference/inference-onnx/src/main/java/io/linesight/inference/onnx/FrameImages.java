/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Image files and {@link BufferedImage}s as frames or OpenCV images, for tools and tests (allocates; not for the line). */
public final class FrameImages {
    private FrameImages() {
    }

    /** Images larger than this are refused from their header (the largest camera frame a station config allows). */
    static final long MAX_PIXELS = 16_384L * 16_384L;

    /**
     * Reads an image file. Every failure is an IOException whose message starts with the file: missing, not an
     * image format this JVM reads, larger than {@link #MAX_PIXELS} (checked from the header, before decoding), or
     * truncated or corrupt (the reader's warnings count: a JPEG cut short would otherwise come back filled with grey).
     */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not an image format this JVM reads");
            }
            ImageReader reader = readers.next();
            try {
                if (wrapsJpegOrPng(reader, in)) {
                    // The JDK's BMP reader allocates the header's data size at once for these (2 GB from 907 bytes).
                    throw new IOException(file + ": a BMP that wraps a JPEG or PNG is not read; use the JPEG or PNG itself");
                }
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw new IOException(file + ": image is " + w + "x" + h + " pixels, more than the " + MAX_PIXELS
                            + " this tool reads");
                }
                refuseCutShortPng(file, reader, w, h);
                refuseOddSamples(file, reader);
                List<String> warnings = new ArrayList<>(1);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IOException(file + ": truncated or corrupt image: " + warnings.getFirst());
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (e instanceof IOException && message.startsWith(file + ": ")) {
                throw (IOException) e;
            }
            throw new IOException(file + ": truncated or corrupt image: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : message), e);
        }
    }

    /** Deflate's largest compression ratio (258-byte matches coded in about two bits): no PNG holds more. */
    static final long DEFLATE_MAX_RATIO = 1032;

    /**
     * A PNG whose header declares more pixels than its file could hold even at deflate's best ratio is cut short or
     * corrupt: refused before decoding, which would allocate the whole image and then spend seconds on rows it has no
     * data for (a 351-byte PNG declaring 1x134217744 pixels took over 10 s). Counted at one bit a pixel plus each row's
     * filter byte, the least any PNG needs.
     */
    private static void refuseCutShortPng(Path file, ImageReader reader, long w, long h) throws IOException {
        if (!"png".equalsIgnoreCase(reader.getFormatName())) {
            return;
        }
        long leastRawBytes = h * (1 + (w + 7) / 8);
        long size = Files.size(file);
        if (size < leastRawBytes / DEFLATE_MAX_RATIO) {
            throw new IOException(file + ": truncated or corrupt image: a PNG of " + w + "x" + h + " pixels needs at "
                    + "least " + leastRawBytes / DEFLATE_MAX_RATIO + " bytes, the file has " + size);
        }
    }

    /** The most samples a pixel (grey, grey and alpha, RGB, RGBA) and bits a sample of an image this reads. */
    static final int MAX_SAMPLES = 4;
    static final int MAX_BITS = 16;

    /**
     * The JDK's TIFF reader sizes its work from the header's samples per pixel and bits per sample, whatever the file
     * holds: a 16x16 TIFF of 308 bytes claiming 288 samples of 32 bits ran a 1.8 GB heap out of memory. Such headers
     * are refused before any pixel is decoded.
     */
    private static void refuseOddSamples(Path file, ImageReader reader) throws IOException {
        javax.imageio.ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw == null) {
            return;
        }
        int bands = raw.getNumBands();
        int bits = 0;
        for (int b = 0; b < bands; b++) {
            bits = Math.max(bits, raw.getBitsPerBand(b));
        }
        if (bands > MAX_SAMPLES || bits > MAX_BITS) {
            throw new IOException(file + ": " + bands + " samples a pixel of up to " + bits + " bits; an image here has at most "
                    + MAX_SAMPLES + " of at most " + MAX_BITS + " bits");
        }
    }

    /** Whether the stream is a BMP (40-byte header or longer) whose compression is 4 (JPEG) or 5 (PNG). */
    private static boolean wrapsJpegOrPng(ImageReader reader, ImageInputStream in) throws IOException {
        if (!"bmp".equalsIgnoreCase(reader.getFormatName())) {
            return false;
        }
        in.mark();
        try {
            in.setByteOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
            in.skipBytes(14);
            int headerSize = in.readInt();
            in.skipBytes(12);
            int compression = in.readInt();
            return headerSize >= 40 && (compression == 4 || compression == 5);
        } catch (java.io.EOFException e) {
            return false; // too short to be a BMP: the reader says so
        } finally {
            in.reset();
            in.setByteOrder(java.nio.ByteOrder.BIG_ENDIAN);
        }
    }

    /**
     * A Mono8 frame holding the image in grey (OpenCV's BGR→GRAY weights, as a mono camera would see it roughly).
     * The frame owns a private one-slot pool; close it when done.
     */
    public static Frame toMono8Frame(BufferedImage image) {
        Mat bgr = toBgrMat(image);
        Mat grey = new Mat();
        try {
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            int w = image.getWidth();
            int h = image.getHeight();
            byte[] px = new byte[w * h];
            grey.get(0, 0, px);
            return mono8Frame(px, w, h);
        } finally {
            bgr.release();
            grey.release();
        }
    }

    /** A Mono8 frame over a copy of {@code pixels} (row-major, {@code width} bytes per row). */
    public static Frame mono8Frame(byte[] pixels, int width, int height) {
        if (pixels.length < width * height) {
            throw new IllegalArgumentException(pixels.length + " bytes cannot hold a " + width + "x" + height + " Mono8 image");
        }
        FramePool pool = new FramePool(1, width * height);
        FramePool.Slot slot = pool.acquire(0);
        if (slot == null) {
            throw new IllegalStateException("fresh pool had no slot");
        }
        slot.buffer().put(pixels, 0, width * height);
        return pool.publish(slot, new Frame.Builder().cameraId("image").format(PixelFormat.MONO8, width, height));
    }

    /** A Mono16 frame (little-endian) over a copy of {@code pixels}. */
    public static Frame mono16Frame(short[] pixels, int width, int height, PixelFormat format) {
        if (format == PixelFormat.MONO8) {
            throw new IllegalArgumentException("mono16Frame needs a 16-bit format, not " + format);
        }
        FramePool pool = new FramePool(1, width * height * 2);
        FramePool.Slot slot = pool.acquire(0);
        if (slot == null) {
            throw new IllegalStateException("fresh pool had no slot");
        }
        slot.buffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(pixels, 0, width * height);
        return pool.publish(slot, new Frame.Builder().cameraId("image").format(format, width, height));
    }

    /** The image as an 8-bit BGR Mat (OpenCV's channel order); the caller releases it. */
    public static Mat toBgrMat(BufferedImage image) {
        OpenCvNatives.ensureLoaded();
        BufferedImage bgr = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.getGraphics().drawImage(image, 0, 0, null);
        }
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        Mat m = new Mat(image.getHeight(), image.getWidth(), CvType.CV_8UC3);
        m.put(0, 0, data);
        return m;
    }
}
