/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.util.Arrays;

/**
 * Boxes awaiting NMS, as parallel primitive arrays that grow once and are then reused frame after frame (no
 * object per box until the survivors become {@code Detection}s). Not thread-safe: one per detector.
 */
public final class Candidates {
    float[] x1;
    float[] y1;
    float[] x2;
    float[] y2;
    float[] score;
    int[] cls;
    int size;

    public Candidates(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        x1 = new float[c];
        y1 = new float[c];
        x2 = new float[c];
        y2 = new float[c];
        score = new float[c];
        cls = new int[c];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /** Adds a box in frame pixels; boxes without area are dropped (they localise nothing and have no IoU). */
    public void add(float bx1, float by1, float bx2, float by2, float s, int c) {
        if (!(bx2 > bx1) || !(by2 > by1)) {
            return;
        }
        if (size == score.length) {
            int n = size * 2;
            x1 = Arrays.copyOf(x1, n);
            y1 = Arrays.copyOf(y1, n);
            x2 = Arrays.copyOf(x2, n);
            y2 = Arrays.copyOf(y2, n);
            score = Arrays.copyOf(score, n);
            cls = Arrays.copyOf(cls, n);
        }
        x1[size] = bx1;
        y1[size] = by1;
        x2[size] = bx2;
        y2[size] = by2;
        score[size] = s;
        cls[size] = c;
        size++;
    }

    public float x1(int i) {
        return x1[i];
    }

    public float y1(int i) {
        return y1[i];
    }

    public float x2(int i) {
        return x2[i];
    }

    public float y2(int i) {
        return y2[i];
    }

    public float score(int i) {
        return score[i];
    }

    public int classId(int i) {
        return cls[i];
    }
}
