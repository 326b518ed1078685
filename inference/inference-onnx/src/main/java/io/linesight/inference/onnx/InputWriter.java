/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Letterboxes an image into one batch slot of the NCHW input tensor: bilinear resize with OpenCV (as
 * {@code cv2.INTER_LINEAR}), then one pass that normalises to 0..1 and writes rows straight into the direct tensor
 * buffer, padding with 114. A mono image feeding a 3-channel model is written three times from the same row, never
 * expanded to three planes in Java. Every working array and the resize target are kept between calls. Not
 * thread-safe: one per detector.
 */
public final class InputWriter {
    private static final float[] LUT = new float[256];
    private static final float PAD = Letterbox.PAD_VALUE / 255f;

    static {
        for (int i = 0; i < 256; i++) {
            LUT[i] = i / 255f;
        }
    }

    private final @Nullable FloatBuffer f32;
    private final @Nullable ShortBuffer f16;
    private final int channels;
    private final Mat resized;
    private byte[] pix8 = new byte[0];
    private short[] pix16 = new short[0];
    private float[] row = new float[0];
    private short[] rowHalf = new short[0];

    /** Writes float32 values into {@code f32}, or float16 bits into {@code f16}: exactly one is given. */
    public InputWriter(@Nullable FloatBuffer f32, @Nullable ShortBuffer f16, int channels) {
        if ((f32 == null) == (f16 == null)) {
            throw new IllegalArgumentException("exactly one of the float32 and float16 buffers");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("models take 1 or 3 channels, not " + channels);
        }
        OpenCvNatives.ensureLoaded();
        this.resized = new Mat();
        this.f32 = f32;
        this.f16 = f16;
        this.channels = channels;
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
        Mat img;
        if (lb.newW() != src.cols() || lb.newH() != src.rows()) {
            Imgproc.resize(src, resized, new Size(lb.newW(), lb.newH()), 0, 0, Imgproc.INTER_LINEAR);
            img = resized;
        } else if (src.isContinuous()) {
            img = src;
        } else {
            src.copyTo(resized);
            img = resized;
        }
        int tw = lb.tensorW();
        int th = lb.tensorH();
        int plane = tw * th;
        int slotBase = slot * channels * plane;
        if (row.length < tw) {
            row = new float[tw];
            rowHalf = new short[tw];
        }
        Arrays.fill(row, 0, tw, PAD);
        int nw = lb.newW();
        int nh = lb.newH();
        int left = lb.left();
        int top = lb.top();
        if (type == CvType.CV_8UC1) {
                ensure8(nw * nh);
                img.get(0, 0, pix8);
                for (int y = 0; y < th; y++) {
                    int sy = y - top;
                    boolean inside = sy >= 0 && sy < nh;
                    if (inside) {
                        int p = sy * nw;
                        for (int x = 0; x < nw; x++) {
                            row[left + x] = LUT[pix8[p + x] & 0xFF];
                        }
                    }
                    putRowAllChannels(slotBase, plane, y * tw, tw, inside, left, nw);
                }
        } else if (type == CvType.CV_16UC1) {
                ensure16(nw * nh);
                img.get(0, 0, pix16);
                float lo = mono16Lo;
                float inv = 1f / (mono16Hi - mono16Lo);
                for (int y = 0; y < th; y++) {
                    int sy = y - top;
                    boolean inside = sy >= 0 && sy < nh;
                    if (inside) {
                        int p = sy * nw;
                        for (int x = 0; x < nw; x++) {
                            float v = ((pix16[p + x] & 0xFFFF) - lo) * inv;
                            row[left + x] = v < 0f ? 0f : Math.min(v, 1f);
                        }
                    }
                    putRowAllChannels(slotBase, plane, y * tw, tw, inside, left, nw);
                }
        } else if (type == CvType.CV_8UC3) {
                ensure8(nw * nh * 3);
                img.get(0, 0, pix8);
                for (int c = 0; c < 3; c++) {
                    int bgr = 2 - c; // tensor channels are RGB
                    for (int y = 0; y < th; y++) {
                        int sy = y - top;
                        boolean inside = sy >= 0 && sy < nh;
                        if (inside) {
                            int p = sy * nw * 3 + bgr;
                            for (int x = 0; x < nw; x++) {
                                row[left + x] = LUT[pix8[p + 3 * x] & 0xFF];
                            }
                        } else {
                            Arrays.fill(row, left, left + nw, PAD);
                        }
                        putRow(slotBase + c * plane + y * tw, tw);
                    }
                }
        } else {
            throw new IllegalArgumentException("unsupported image type " + CvType.typeToString(type));
        }
    }

    private void putRowAllChannels(int slotBase, int plane, int rowOffset, int tw, boolean inside, int left, int nw) {
        if (!inside) {
            Arrays.fill(row, left, left + nw, PAD);
        }
        for (int c = 0; c < channels; c++) {
            putRow(slotBase + c * plane + rowOffset, tw);
        }
    }

    private void putRow(int index, int tw) {
        if (f32 != null) {
            f32.put(index, row, 0, tw);
        } else {
            short[] h = rowHalf;
            for (int x = 0; x < tw; x++) {
                h[x] = Float.floatToFloat16(row[x]);
            }
            f16.put(index, h, 0, tw);
        }
    }

    private void ensure8(int n) {
        if (pix8.length < n) {
            pix8 = new byte[n];
        }
    }

    private void ensure16(int n) {
        if (pix16.length < n) {
            pix16 = new short[n];
        }
    }

    /** Frees the resize buffer. */
    public void release() {
        resized.release();
    }
}
