/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.nio.FloatBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Turns one image's slice of a raw output tensor into candidate boxes in frame pixels: reads the layout, applies the
 * per-class thresholds, maps boxes out of the letterbox and shifts them by the tile origin. Scratch arrays are
 * reused. Reads the output where it lies (a direct buffer: the detector's pinned output tensor) without copying it.
 * Not thread-safe: one per detector.
 */
public final class Decoder {
    private final OutputLayout layout;
    private final float[] classThreshold;
    private final float minThreshold;
    private final float defaultThreshold;
    private float[] best = new float[0];
    private int[] bestClass = new int[0];
    private float[] row = new float[0];
    private @Nullable ClassMaxima maxima;

    /**
     * @param classThreshold minimum score per class id; class ids past its end use {@code defaultThreshold}
     */
    public Decoder(OutputLayout layout, float[] classThreshold, float defaultThreshold) {
        this.layout = layout;
        this.classThreshold = classThreshold.clone();
        float min = defaultThreshold;
        for (float t : classThreshold) {
            min = Math.min(min, t);
        }
        this.minThreshold = min;
        this.defaultThreshold = defaultThreshold;
    }

    public OutputLayout layout() {
        return layout;
    }

    /** Frees the OpenCV headers kept over output buffers. */
    public void release() {
        if (maxima != null) {
            maxima.release();
        }
    }

    private float threshold(int c) {
        return c >= 0 && c < classThreshold.length ? classThreshold[c] : defaultThreshold;
    }

    /**
     * Decodes rows {@code [base, base + rows*cols)} of {@code out} (absolute reads, position untouched).
     *
     * @param rows    output dimension 1 (4+C for YOLOv8, N for YOLOv5, K for end-to-end)
     * @param cols    output dimension 2
     * @param lb      where the image sat in the model input
     * @param originX frame x of the image's left edge (0 unless a tile)
     * @param originY frame y of the image's top edge
     */
    public void decode(FloatBuffer out, int base, int rows, int cols, Letterbox lb, int originX, int originY,
                       Candidates dst) {
        float gain = (float) lb.gain();
        float padX = (float) lb.padX();
        float padY = (float) lb.padY();
        float maxX = lb.srcW();
        float maxY = lb.srcH();
        switch (layout) {
            case YOLOV8 -> decodeV8(out, base, rows, cols, gain, padX, padY, maxX, maxY, originX, originY, dst);
            case YOLOV5 -> decodeV5(out, base, rows, cols, gain, padX, padY, maxX, maxY, originX, originY, dst);
            case END2END -> decodeE2e(out, base, rows, cols, gain, padX, padY, maxX, maxY, originX, originY, dst);
        }
    }

    private void decodeV8(FloatBuffer out, int base, int rows, int n, float gain, float padX, float padY,
                          float maxX, float maxY, int ox, int oy, Candidates dst) {
        int classes = rows - 4;
        if (best.length < n) {
            best = new float[n];
            bestClass = new int[n];
            row = new float[n];
        }
        float[] b = best;
        int[] bc = bestClass;
        float min = minThreshold;
        if (out.isDirect() && base % n == 0) {
            // the detector's own output tensor: OpenCV finds each anchor's best score in one vectorised pass, and
            // only the few anchors above the lowest threshold look for which class it was (the first one with it)
            ClassMaxima m = maxima;
            if (m == null) {
                m = new ClassMaxima();
                maxima = m;
            }
            m.reduce(out, base + 4 * n, classes, n, b);
            for (int i = 0; i < n; i++) {
                if (b[i] >= min) {
                    bc[i] = -1;
                    for (int c = 0; c < classes; c++) {
                        if (out.get(base + (4 + c) * n + i) == b[i]) {
                            bc[i] = c;
                            break;
                        }
                    }
                }
            }
        } else {
            float[] rowBuf = row;
            // one class row at a time, bulk-copied into a small reused array (the output is read once,
            // sequentially; element reads of a buffer pay checks each). Scores under the lowest threshold can never
            // make a box: skipping them keeps the loop to one compare per score, with a branch almost never taken
            java.util.Arrays.fill(b, 0, n, -1f);
            for (int c = 0; c < classes; c++) {
                out.get(base + (4 + c) * n, rowBuf, 0, n);
                for (int i = 0; i < n; i++) {
                    float s = rowBuf[i];
                    if (s >= min && s > b[i]) {
                        b[i] = s;
                        bc[i] = c;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            float s = b[i];
            if (s >= min && bc[i] >= 0 && s >= threshold(bc[i])) {
                float cx = out.get(base + i);
                float cy = out.get(base + n + i);
                float hw = out.get(base + 2 * n + i) * 0.5f;
                float hh = out.get(base + 3 * n + i) * 0.5f;
                addMapped(dst, cx - hw, cy - hh, cx + hw, cy + hh, s, bc[i], gain, padX, padY, maxX, maxY, ox, oy);
            }
        }
    }

    private void decodeV5(FloatBuffer out, int base, int n, int cols, float gain, float padX, float padY,
                          float maxX, float maxY, int ox, int oy, Candidates dst) {
        int classes = cols - 5;
        float min = minThreshold;
        for (int i = 0; i < n; i++) {
            int r = base + i * cols;
            float obj = out.get(r + 4);
            if (!(obj >= min)) {
                continue; // score = obj * cls <= obj
            }
            float bs = out.get(r + 5);
            int bcls = 0;
            for (int c = 1; c < classes; c++) {
                float s = out.get(r + 5 + c);
                if (s > bs) {
                    bs = s;
                    bcls = c;
                }
            }
            float s = obj * bs;
            if (s >= min && s >= threshold(bcls)) {
                float cx = out.get(r);
                float cy = out.get(r + 1);
                float hw = out.get(r + 2) * 0.5f;
                float hh = out.get(r + 3) * 0.5f;
                addMapped(dst, cx - hw, cy - hh, cx + hw, cy + hh, s, bcls, gain, padX, padY, maxX, maxY, ox, oy);
            }
        }
    }

    private void decodeE2e(FloatBuffer out, int base, int k, int cols, float gain, float padX, float padY,
                           float maxX, float maxY, int ox, int oy, Candidates dst) {
        for (int i = 0; i < k; i++) {
            int r = base + i * cols;
            float s = out.get(r + 4);
            int c = Math.round(out.get(r + 5));
            if (s >= minThreshold && s >= threshold(c)) {
                addMapped(dst, out.get(r), out.get(r + 1), out.get(r + 2), out.get(r + 3), s, c,
                        gain, padX, padY, maxX, maxY, ox, oy);
            }
        }
    }

    private static void addMapped(Candidates dst, float x1, float y1, float x2, float y2, float s, int c,
                                  float gain, float padX, float padY, float maxX, float maxY, int ox, int oy) {
        dst.add(ox + clamp((x1 - padX) / gain, maxX), oy + clamp((y1 - padY) / gain, maxY),
                ox + clamp((x2 - padX) / gain, maxX), oy + clamp((y2 - padY) / gain, maxY), s, c);
    }

    private static float clamp(float v, float max) {
        return v < 0f ? 0f : Math.min(v, max);
    }
}
