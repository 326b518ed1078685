/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

/**
 * Where an image lands in the model input, computed exactly as Ultralytics' {@code LetterBox} and mapped back as
 * its {@code scale_boxes}: aspect-preserving scale, size rounded half-to-even like Python's {@code round}, padding
 * split around the image with the {@code ±0.1} rounding Ultralytics uses.
 *
 * @param srcW     source width (whole frame or tile)
 * @param srcH     source height
 * @param tensorW  width of the model input the image is placed in
 * @param tensorH  height of the model input
 * @param newW     width of the resized image
 * @param newH     height of the resized image
 * @param left     padding columns left of the image
 * @param top      padding rows above the image
 */
public record Letterbox(int srcW, int srcH, int tensorW, int tensorH, int newW, int newH, int left, int top) {

    /** Ultralytics' padding grey, 114 of 255. */
    public static final int PAD_VALUE = 114;

    /**
     * @param auto   pad only to a multiple of {@code stride} (models with a dynamic input size), else to the full target
     */
    public static Letterbox of(int srcW, int srcH, int targetW, int targetH, boolean auto, int stride) {
        if (srcW <= 0 || srcH <= 0) {
            throw new IllegalArgumentException("image size " + srcW + "x" + srcH + " must be positive");
        }
        double r = Math.min((double) targetH / srcH, (double) targetW / srcW);
        int newW = (int) Math.rint(srcW * r);
        int newH = (int) Math.rint(srcH * r);
        double dw = targetW - newW;
        double dh = targetH - newH;
        if (auto) {
            dw = dw % stride;
            dh = dh % stride;
        }
        dw /= 2;
        dh /= 2;
        int top = (int) Math.rint(dh - 0.1);
        int bottom = (int) Math.rint(dh + 0.1);
        int left = (int) Math.rint(dw - 0.1);
        int right = (int) Math.rint(dw + 0.1);
        return new Letterbox(srcW, srcH, newW + left + right, newH + top + bottom, newW, newH, left, top);
    }

    /** Gain used to map boxes back, as {@code scale_boxes} recomputes it from the input size. */
    public double gain() {
        return Math.min((double) tensorH / srcH, (double) tensorW / srcW);
    }

    /** Horizontal padding {@code scale_boxes} subtracts. */
    public double padX() {
        return Math.rint((tensorW - srcW * gain()) / 2 - 0.1);
    }

    public double padY() {
        return Math.rint((tensorH - srcH * gain()) / 2 - 0.1);
    }

    /** A model-input x back to source pixels, clipped to [0, srcW]. */
    public float toSrcX(float x) {
        return clamp((float) ((x - padX()) / gain()), srcW);
    }

    public float toSrcY(float y) {
        return clamp((float) ((y - padY()) / gain()), srcH);
    }

    private static float clamp(float v, int max) {
        return v < 0f ? 0f : Math.min(v, max);
    }
}
