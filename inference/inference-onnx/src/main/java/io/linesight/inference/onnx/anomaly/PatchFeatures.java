/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import java.util.List;

/**
 * Patch features as PatchCore forms them: each tapped layer is averaged over a {@code k x k} neighbourhood (so a
 * patch feature describes its surroundings, not one receptive-field centre), the coarser layers are resized
 * bilinearly to the finest layer's grid, and the channels are concatenated. The result is patch-major:
 * {@code data[(y * width + x) * dim + d]}, one row per patch, as the memory bank and the nearest-neighbour search
 * read it.
 */
record PatchFeatures(int height, int width, int dim, float[] data) {

    int patches() {
        return height * width;
    }

    static PatchFeatures of(List<FeatureMap> layers, int aggregation) {
        FeatureMap finest = layers.getFirst();
        for (FeatureMap m : layers) {
            if (m.height() * m.width() > finest.height() * finest.width()) {
                finest = m;
            }
        }
        int h = finest.height();
        int w = finest.width();
        int dim = 0;
        for (FeatureMap m : layers) {
            dim += m.channels();
        }
        float[] out = new float[h * w * dim];
        int offset = 0;
        for (FeatureMap m : layers) {
            FeatureMap a = resize(aggregate(m, aggregation), h, w);
            int c = a.channels();
            float[] src = a.data();
            for (int ch = 0; ch < c; ch++) {
                int plane = ch * h * w;
                for (int p = 0; p < h * w; p++) {
                    out[p * dim + offset + ch] = src[plane + p];
                }
            }
            offset += c;
        }
        return new PatchFeatures(h, w, dim, out);
    }

    /** Mean over the k x k neighbourhood inside the map (edges average fewer cells rather than zero padding). */
    static FeatureMap aggregate(FeatureMap m, int k) {
        if (k <= 1) {
            return m;
        }
        int r = k / 2;
        int h = m.height();
        int w = m.width();
        float[] src = m.data();
        float[] dst = new float[src.length];
        float[] rows = new float[h * w];
        for (int c = 0; c < m.channels(); c++) {
            int base = c * h * w;
            // separable box filter: horizontal sums, then vertical sums, then divide by the cells that existed
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dx = Math.max(0, x - r); dx <= Math.min(w - 1, x + r); dx++) {
                        s += src[base + y * w + dx];
                    }
                    rows[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                int y0 = Math.max(0, y - r);
                int y1 = Math.min(h - 1, y + r);
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dy = y0; dy <= y1; dy++) {
                        s += rows[dy * w + x];
                    }
                    int cells = (y1 - y0 + 1) * (Math.min(w - 1, x + r) - Math.max(0, x - r) + 1);
                    dst[base + y * w + x] = s / cells;
                }
            }
        }
        return new FeatureMap(m.channels(), h, w, m.stride(), dst);
    }

    /** Bilinear resize with half-pixel centres (PyTorch {@code align_corners=False}). */
    static FeatureMap resize(FeatureMap m, int h, int w) {
        if (m.height() == h && m.width() == w) {
            return m;
        }
        float[] dst = new float[m.channels() * h * w];
        resizePlanes(m.data(), m.channels(), m.height(), m.width(), dst, h, w);
        return new FeatureMap(m.channels(), h, w, m.stride() * m.height() / h, dst);
    }

    /** Bilinear resize of {@code planes} stacked planes, half-pixel centres, edges clamped. */
    static void resizePlanes(float[] src, int planes, int sh, int sw, float[] dst, int h, int w) {
        double fy = (double) sh / h;
        double fx = (double) sw / w;
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        float[] ax = new float[w];
        for (int x = 0; x < w; x++) {
            double sx = Math.max(0, (x + 0.5) * fx - 0.5);
            x0[x] = Math.min(sw - 1, (int) sx);
            x1[x] = Math.min(sw - 1, x0[x] + 1);
            ax[x] = (float) (sx - x0[x]);
        }
        for (int c = 0; c < planes; c++) {
            int sb = c * sh * sw;
            int db = c * h * w;
            for (int y = 0; y < h; y++) {
                double sy = Math.max(0, (y + 0.5) * fy - 0.5);
                int y0 = Math.min(sh - 1, (int) sy);
                int y1 = Math.min(sh - 1, y0 + 1);
                float ay = (float) (sy - y0);
                for (int x = 0; x < w; x++) {
                    float top = src[sb + y0 * sw + x0[x]] * (1 - ax[x]) + src[sb + y0 * sw + x1[x]] * ax[x];
                    float bottom = src[sb + y1 * sw + x0[x]] * (1 - ax[x]) + src[sb + y1 * sw + x1[x]] * ax[x];
                    dst[db + y * w + x] = top * (1 - ay) + bottom * ay;
                }
            }
        }
    }
}
