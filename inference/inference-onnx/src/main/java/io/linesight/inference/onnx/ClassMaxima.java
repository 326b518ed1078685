/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * The highest class score of every anchor of a YOLOv8 output {@code [4+C, N]} that lies in direct memory (the
 * detector's pinned output tensor), by OpenCV's vectorised column reduction over the C class rows: one read of the
 * scores, no copy of them into Java. The headers over each output buffer and the result row are made once and kept.
 * Not thread-safe: one per decoder.
 */
final class ClassMaxima {
    /** Output buffers remembered; a detector has one per tensor shape it runs, far fewer than this. */
    private static final int MAX_BUFFERS = 16;

    private final Map<FloatBuffer, Mat> headers = new IdentityHashMap<>();
    private ByteBuffer maxBytes = ByteBuffer.allocateDirect(0);
    private FloatBuffer maxFloats = maxBytes.asFloatBuffer();
    private Mat maxRow;

    ClassMaxima() {
        OpenCvNatives.ensureLoaded();
        maxRow = new Mat();
    }

    /**
     * Writes {@code max over c of out[offset + c*n + i]} for every anchor {@code i < n} into {@code dst[i]}.
     *
     * @param out    a direct buffer; index 0 is the start of the tensor
     * @param offset where the first class row starts, a multiple of {@code n}
     * @param rows   the class count C
     */
    void reduce(FloatBuffer out, int offset, int rows, int n, float[] dst) {
        if (!out.isDirect() || offset % n != 0) {
            throw new IllegalArgumentException("class rows must lie in a direct buffer, starting at a whole row");
        }
        Mat all = headers.get(out);
        if (all == null || all.cols() != n) {
            if (headers.size() >= MAX_BUFFERS) {
                release();
            }
            ByteBuffer bytes = MemorySegment.ofBuffer(out.duplicate().clear()).asByteBuffer();
            all = new Mat(out.capacity() / n, n, CvType.CV_32FC1, bytes);
            headers.put(out, all);
        }
        if (maxBytes.capacity() < n * Float.BYTES) {
            maxRow.release();
            maxBytes = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder());
            maxFloats = maxBytes.asFloatBuffer();
        }
        if (maxRow.cols() != n) {
            maxRow = new Mat(1, n, CvType.CV_32FC1, maxBytes);
        }
        long at = maxRow.dataAddr();
        Mat classes = all.rowRange(offset / n, offset / n + rows);
        try {
            Core.reduce(classes, maxRow, 0, Core.REDUCE_MAX);
        } finally {
            classes.release();
        }
        if (maxRow.dataAddr() != at) {
            throw new IllegalStateException("the class maxima row was reallocated by OpenCV");
        }
        maxFloats.get(0, dst, 0, n);
    }

    void release() {
        for (Mat m : headers.values()) {
            m.release();
        }
        headers.clear();
    }
}
