/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.lang.foreign.MemorySegment;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Letterboxes an image into one batch slot of the NCHW input tensor: bilinear resize with OpenCV (as
 * {@code cv2.INTER_LINEAR}), then the pixels go straight into the direct tensor buffer through OpenCV {@link Mat}
 * headers over it: 8-bit images through a 256-entry table ({@code v / 255f}, bit for bit what Ultralytics feeds; for
 * float16 tensors the half-precision bits of that value), 16-bit images scaled through their window and clipped to
 * 0..1. Padding is 114. A mono image feeding a 3-channel model is written once and its plane copied twice, never
 * expanded in Java. Nothing passes through a Java array.
 *
 * <p><b>Memory.</b> The headers over the tensor are made the first time a (slot, letterbox) is written and kept;
 * the resize target and colour scratch are reused, so a steady stream of frames of one size allocates no pixel
 * memory. The tensor buffer stays the caller's: it must outlive this writer.
 *
 * <p><b>Threads.</b> Not thread-safe: one per detector, used by the thread that calls the detector.
 */
public final class InputWriter {
    private static final float PAD = Letterbox.PAD_VALUE / 255f;
    /** Letterbox placements remembered; a detector needs one per tile shape and slot, so this is never reached in use. */
    private static final int MAX_VIEWS = 256;

    private final ByteBuffer tensor;
    private final boolean half;
    private final int channels;
    private final int elementBytes;
    private final int planeType;
    private final Mat lut;
    private final Scalar pad;
    private final Scalar zero = new Scalar(0);
    private final Scalar one = new Scalar(1);
    private final Mat resized;
    private final Mat colour;
    private final Mat scaled;
    private final Map<ViewKey, SlotView> views = new HashMap<>();
    private @Nullable Size resizeTo;

    private record ViewKey(int slot, Letterbox lb) {
    }

    /**
     * Headers over one slot's channel planes for one letterbox placement: the whole planes, the image region and
     * the padding strips around it.
     */
    private static final class SlotView {
        final Mat[] planes;
        final Mat[] images;
        final long[] imageAddr;
        final Mat[][] pads;
        final Mat @Nullable [] halfFloatImages;

        SlotView(Mat[] planes, Mat[] images, Mat[][] pads, Mat @Nullable [] halfFloatImages) {
            this.planes = planes;
            this.images = images;
            this.pads = pads;
            this.halfFloatImages = halfFloatImages;
            this.imageAddr = new long[images.length];
            for (int c = 0; c < images.length; c++) {
                imageAddr[c] = images[c].dataAddr();
            }
        }

        void release() {
            for (Mat[] row : new Mat[][] {planes, images, halfFloatImages == null ? new Mat[0] : halfFloatImages}) {
                for (Mat m : row) {
                    m.release();
                }
            }
            for (Mat[] p : pads) {
                for (Mat m : p) {
                    m.release();
                }
            }
        }
    }

    /**
     * Writes float32 values into {@code f32}, or float16 bits into {@code f16}: exactly one is given, a direct buffer
     * whose index 0 is the first element of batch slot 0.
     */
    public InputWriter(@Nullable FloatBuffer f32, @Nullable ShortBuffer f16, int channels) {
        if ((f32 == null) == (f16 == null)) {
            throw new IllegalArgumentException("exactly one of the float32 and float16 buffers");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("models take 1 or 3 channels, not " + channels);
        }
        Buffer given = f32 != null ? f32 : f16;
        if (!given.isDirect()) {
            throw new IllegalArgumentException("the tensor buffer must be direct (OpenCV writes into its memory)");
        }
        OpenCvNatives.ensureLoaded();
        this.lut = new Mat();
        this.resized = new Mat();
        this.colour = new Mat();
        this.scaled = new Mat();
        // the same memory as bytes, from element 0 whatever the caller's position: OpenCV headers need a base address
        this.tensor = MemorySegment.ofBuffer(given.duplicate().clear()).asByteBuffer();
        this.half = f16 != null;
        this.channels = channels;
        this.elementBytes = half ? 2 : 4;
        // float16 planes are 16-bit signed words holding half-precision bits (the table's type decides the output's)
        this.planeType = half ? CvType.CV_16SC1 : CvType.CV_32FC1;
        lut.create(1, 256, planeType);
        if (half) {
            short[] bits = new short[256];
            for (int i = 0; i < 256; i++) {
                bits[i] = Float.floatToFloat16(i / 255f);
            }
            lut.put(0, 0, bits);
            this.pad = new Scalar(Float.floatToFloat16(PAD));
        } else {
            float[] values = new float[256];
            for (int i = 0; i < 256; i++) {
                values[i] = i / 255f;
            }
            lut.put(0, 0, values);
            this.pad = new Scalar(PAD);
        }
    }

    public int channels() {
        return channels;
    }

    /**
     * Writes {@code src} into batch slot {@code slot}.
     *
     * @param src      CV_8UC1, CV_16UC1 or CV_8UC3 in BGR order (an ROI is fine), {@code lb.srcW × lb.srcH}
     * @param lb       the placement, its tensor size being the model input of every slot
     * @param mono16Lo for 16-bit images: the value mapped to 0
     * @param mono16Hi for 16-bit images: the value mapped to 1
     */
    public void write(int slot, Mat src, Letterbox lb, int mono16Lo, int mono16Hi) {
        int type = src.type();
        if (src.cols() != lb.srcW() || src.rows() != lb.srcH()) {
            throw new IllegalArgumentException("image " + src.cols() + "x" + src.rows() + " does not match letterbox source "
                    + lb.srcW() + "x" + lb.srcH());
        }
        if (type == CvType.CV_8UC3 && channels == 1) {
            throw new IllegalArgumentException("a colour image for a 1-channel model: convert it to grey first");
        }
        if (type != CvType.CV_8UC1 && type != CvType.CV_16UC1 && type != CvType.CV_8UC3) {
            throw new IllegalArgumentException("unsupported image type " + CvType.typeToString(type));
        }
        SlotView v = view(slot, lb);
        Mat img = src;
        if (lb.newW() != src.cols() || lb.newH() != src.rows()) {
            Size to = resizeTo;
            if (to == null || to.width != lb.newW() || to.height != lb.newH()) {
                to = new Size(lb.newW(), lb.newH());
                resizeTo = to;
            }
            Imgproc.resize(src, resized, to, 0, 0, Imgproc.INTER_LINEAR);
            img = resized;
        }
        if (type == CvType.CV_8UC3) {
            Core.LUT(img, lut, colour);
            for (int c = 0; c < 3; c++) {
                padPlane(v, c);
                Core.extractChannel(colour, v.images[c], 2 - c); // tensor channels are RGB
                checkInPlace(v, c);
            }
            return;
        }
        padPlane(v, 0);
        if (type == CvType.CV_8UC1) {
            Core.LUT(img, lut, v.images[0]);
        } else {
            writeWindowed(img, v, mono16Lo, mono16Hi);
        }
        checkInPlace(v, 0);
        for (int c = 1; c < channels; c++) {
            v.planes[0].copyTo(v.planes[c]);
            checkInPlace(v, c);
        }
    }

    /** A 16-bit image scaled so that {@code lo} is 0 and {@code hi} is 1, clipped to 0..1. */
    private void writeWindowed(Mat img, SlotView v, int lo, int hi) {
        // (v - lo) * (1f / (hi - lo)) in float, as two exact steps: one fused step rounds differently near lo
        float inv = 1f / (hi - lo);
        Mat target = half ? scaled : v.images[0];
        img.convertTo(target, CvType.CV_32F, 1, -lo);
        target.convertTo(target, CvType.CV_32F, inv, 0);
        Core.min(target, one, target);
        Core.max(target, zero, target);
        if (half) {
            scaled.convertTo(v.halfFloatImages[0], CvType.CV_16F);
        }
    }

    private void padPlane(SlotView v, int c) {
        for (Mat strip : v.pads[c]) {
            strip.setTo(pad);
        }
    }

    /** OpenCV writes into a header only while type and size match; a mismatch would silently go to new memory. */
    private static void checkInPlace(SlotView v, int c) {
        if (v.images[c].dataAddr() != v.imageAddr[c]
                || (v.halfFloatImages != null && v.halfFloatImages[c].dataAddr() != v.imageAddr[c])) {
            throw new IllegalStateException("the tensor view of channel " + c + " was reallocated by OpenCV");
        }
    }

    private SlotView view(int slot, Letterbox lb) {
        ViewKey key = new ViewKey(slot, lb);
        SlotView v = views.get(key);
        if (v != null) {
            return v;
        }
        if (views.size() >= MAX_VIEWS) {
            releaseViews();
        }
        int tw = lb.tensorW();
        int th = lb.tensorH();
        long planeBytes = (long) tw * th * elementBytes;
        long end = (slot + 1L) * channels * planeBytes;
        if (slot < 0 || end > tensor.capacity()) {
            throw new IllegalArgumentException("slot " + slot + " of " + channels + "x" + th + "x" + tw
                    + " does not fit the tensor buffer of " + tensor.capacity() + " bytes");
        }
        Mat[] planes = new Mat[channels];
        Mat[] images = new Mat[channels];
        Mat[][] pads = new Mat[channels][];
        Mat[] halfFloat = half ? new Mat[channels] : null;
        int top = lb.top();
        int left = lb.left();
        int bottom = top + lb.newH();
        int right = left + lb.newW();
        for (int c = 0; c < channels; c++) {
            ByteBuffer bytes = tensor.slice(Math.toIntExact((slot * (long) channels + c) * planeBytes), (int) planeBytes);
            planes[c] = new Mat(th, tw, planeType, bytes);
            images[c] = planes[c].submat(top, bottom, left, right);
            if (halfFloat != null) {
                // the same words typed as half floats, for OpenCV's float-to-half conversion of 16-bit images
                Mat typed = new Mat(th, tw, CvType.CV_16FC1, bytes);
                halfFloat[c] = typed.submat(top, bottom, left, right);
                typed.release();
            }
            List<Mat> strips = new ArrayList<>(4);
            if (top > 0) {
                strips.add(planes[c].submat(0, top, 0, tw));
            }
            if (bottom < th) {
                strips.add(planes[c].submat(bottom, th, 0, tw));
            }
            if (left > 0) {
                strips.add(planes[c].submat(top, bottom, 0, left));
            }
            if (right < tw) {
                strips.add(planes[c].submat(top, bottom, right, tw));
            }
            pads[c] = strips.toArray(new Mat[0]);
        }
        v = new SlotView(planes, images, pads, halfFloat);
        views.put(key, v);
        return v;
    }

    private void releaseViews() {
        for (SlotView v : views.values()) {
            v.release();
        }
        views.clear();
    }

    /** Frees the working images and the headers over the tensor (not the tensor, which is the caller's). */
    public void release() {
        releaseViews();
        resized.release();
        colour.release();
        scaled.release();
        lut.release();
    }
}
