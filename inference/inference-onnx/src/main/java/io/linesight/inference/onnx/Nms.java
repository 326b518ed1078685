/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.util.Arrays;

/**
 * Greedy non-maximum suppression, as torchvision's {@code nms} that Ultralytics calls: best score first, a box is
 * suppressed when its IoU with a kept box of the same class (any class when agnostic) is strictly greater than the
 * threshold. Equal scores keep the box that was added first, so the result is deterministic. Working arrays are
 * reused between calls. Not thread-safe: one per detector.
 */
public final class Nms {
    private long[] order = new long[256];
    private boolean[] removed = new boolean[256];
    private int[] kept = new int[256];

    /**
     * Runs NMS over the candidates.
     *
     * @param sorted when true only sorts and caps (end-to-end models already suppressed in the graph)
     * @return the number of survivors, whose indices into {@code c} are {@link #kept(int)} in score order
     */
    public int run(Candidates c, float iouThreshold, boolean agnostic, int maxDetections, boolean sorted) {
        int n = c.size;
        if (order.length < n) {
            int cap = Math.max(n, order.length * 2);
            order = new long[cap];
            removed = new boolean[cap];
            kept = new int[cap];
        }
        // scores are >= 0, where float bits order like the floats: sort (inverted bits, index) ascending
        for (int i = 0; i < n; i++) {
            order[i] = ((long) (0x7FFFFFFF - Float.floatToRawIntBits(c.score[i])) << 32) | i;
            removed[i] = false;
        }
        Arrays.sort(order, 0, n);
        int k = 0;
        for (int oi = 0; oi < n && k < maxDetections; oi++) {
            int i = (int) order[oi];
            if (removed[oi]) {
                continue;
            }
            kept[k++] = i;
            if (sorted) {
                continue;
            }
            float ax1 = c.x1[i];
            float ay1 = c.y1[i];
            float ax2 = c.x2[i];
            float ay2 = c.y2[i];
            float areaA = (ax2 - ax1) * (ay2 - ay1);
            int ca = c.cls[i];
            for (int oj = oi + 1; oj < n; oj++) {
                if (removed[oj]) {
                    continue;
                }
                int j = (int) order[oj];
                if (!agnostic && c.cls[j] != ca) {
                    continue;
                }
                float iw = Math.min(ax2, c.x2[j]) - Math.max(ax1, c.x1[j]);
                if (iw <= 0f) {
                    continue;
                }
                float ih = Math.min(ay2, c.y2[j]) - Math.max(ay1, c.y1[j]);
                if (ih <= 0f) {
                    continue;
                }
                float inter = iw * ih;
                float union = areaA + (c.x2[j] - c.x1[j]) * (c.y2[j] - c.y1[j]) - inter;
                if (union > 0f && inter / union > iouThreshold) {
                    removed[oj] = true;
                }
            }
        }
        return k;
    }

    /** Index into the candidates of the r-th survivor (best first). */
    public int kept(int r) {
        return kept[r];
    }
}
