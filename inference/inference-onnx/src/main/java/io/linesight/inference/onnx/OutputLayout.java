/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.util.Arrays;

/**
 * The detection output layouts of common YOLO exports, told apart by the output shape, the class count and the
 * metadata, never by the file name.
 *
 * <ul>
 *   <li>{@link #YOLOV5} {@code [B, N, 5+C]}: cx, cy, w, h, objectness, C class scores; score = obj × cls.</li>
 *   <li>{@link #YOLOV8} {@code [B, 4+C, N]}: cx, cy, w, h, C class scores (YOLOv8, 11, 26 without end2end).</li>
 *   <li>{@link #END2END} {@code [B, K, 6]}: x1, y1, x2, y2, score, class; NMS is already in the graph.</li>
 * </ul>
 * Coordinates are in model-input pixels in all three.
 */
public enum OutputLayout {
    YOLOV5("yolov5"),
    YOLOV8("yolov8"),
    END2END("end2end");

    private final String id;

    OutputLayout(String id) {
        this.id = id;
    }

    /** The name {@link io.linesight.inference.api.ModelInfo#layout()} reports. */
    public String id() {
        return id;
    }

    /**
     * Recognises the layout.
     *
     * @param outShape    output shape, -1 for dynamic dimensions
     * @param classes     class count from the names (metadata or recipe), 0 when unknown
     * @param end2end     the metadata's end2end flag, null when absent
     * @param inputH      static input height, or 0 when dynamic
     * @param inputW      static input width, or 0 when dynamic
     * @throws IllegalArgumentException naming the shape when it fits no layout
     */
    public static OutputLayout recognise(long[] outShape, int classes, Boolean end2end, int inputH, int inputW) {
        if (outShape.length != 3) {
            throw new IllegalArgumentException("output shape " + Arrays.toString(outShape)
                    + " is not [batch, rows, cols]: not a YOLO detection output");
        }
        long a = outShape[1];
        long b = outShape[2];
        if (a <= 0 || b <= 0) {
            throw new IllegalArgumentException("output shape " + Arrays.toString(outShape)
                    + " has dynamic rows/cols: the layout cannot be recognised before running");
        }
        boolean staticInput = inputH > 0 && inputW > 0;
        long v8Anchors = staticInput ? anchors(inputH, inputW) : -1;
        if (Boolean.TRUE.equals(end2end)) {
            if (b == 6) {
                return END2END;
            }
            throw new IllegalArgumentException("metadata says end2end but output shape " + Arrays.toString(outShape)
                    + " is not [batch, K, 6]");
        }
        if (a < b) {
            // channels first: [B, 4+C, N]
            if (classes > 0 && a != 4 + classes) {
                throw new IllegalArgumentException("output shape " + Arrays.toString(outShape) + " looks like [B, 4+C, N] but "
                        + classes + " class names need " + (4 + classes) + " rows");
            }
            if (staticInput && b != v8Anchors) {
                throw new IllegalArgumentException("output shape " + Arrays.toString(outShape) + ": " + b
                        + " boxes do not match the " + v8Anchors + " anchor points of a " + inputW + "x" + inputH + " input");
            }
            return YOLOV8;
        }
        // rows first: YOLOv5 [B, N, 5+C] or end-to-end [B, K, 6]
        if (staticInput && a == 3 * v8Anchors && (classes <= 0 || b == 5 + classes)) {
            return YOLOV5;
        }
        if (b == 6 && !Boolean.FALSE.equals(end2end)) {
            return END2END;
        }
        if (!staticInput && classes > 0 && b == 5 + classes) {
            return YOLOV5;
        }
        throw new IllegalArgumentException("output shape " + Arrays.toString(outShape) + " with " + classes
                + " classes fits none of YOLOv5 [B,N,5+C], YOLOv8 [B,4+C,N], end-to-end [B,K,6]");
    }

    /** Grid cells over strides 8, 16 and 32: the boxes a YOLOv8 head predicts (a YOLOv5 head predicts three times that). */
    static long anchors(int h, int w) {
        long n = 0;
        for (int s : new int[] {8, 16, 32}) {
            n += (long) ((h + s - 1) / s) * ((w + s - 1) / s);
        }
        return n;
    }
}
