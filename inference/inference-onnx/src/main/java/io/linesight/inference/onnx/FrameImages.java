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
import javax.imageio.ImageIO;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Image files and {@link BufferedImage}s as frames or OpenCV images, for tools and tests (allocates; not for the line). */
public final class FrameImages {
    private FrameImages() {
    }

    /** Reads an image file; an unreadable or unknown format is an error naming the file. */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image format this JVM reads");
        }
        return img;
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
