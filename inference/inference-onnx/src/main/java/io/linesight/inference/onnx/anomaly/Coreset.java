/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Greedy k-center coreset selection (PatchCore): start from one patch, then repeatedly take the patch farthest from
 * everything chosen so far, so the kept bank covers the whole feature space of the good images with a fraction of the
 * patches. Distances are measured after a Gaussian random projection to {@code projectionDim} dimensions
 * (Johnson-Lindenstrauss: distances are kept up to a small factor), which makes each step {@code dim/projectionDim}
 * times cheaper. Deterministic for a given seed.
 */
final class Coreset {
    private Coreset() {
    }

    /**
     * @param features   patch-major rows, {@code n x dim}
     * @param target     how many rows to keep ({@code <= n})
     * @param progress   called with the number chosen so far, about every 1 % of {@code target}; on the caller's thread
     * @return the chosen row indices, in the order chosen
     */
    static int[] select(float[] features, int n, int dim, int target, int projectionDim, long seed, IntConsumer progress) {
        if (target >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int k = Math.min(dim, projectionDim);
        // dimension-major (k x n): the distance update below then runs along contiguous patches, which the JIT
        // vectorises, instead of a per-patch reduction it cannot
        float[] proj = transpose(project(features, n, dim, k, seed), n, k);
        float[] nearest = new float[n];
        java.util.Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        float[] acc = new float[CHUNK];
        int[] chosen = new int[target];
        int next = new SplittableRandom(seed).nextInt(n);
        int step = Math.max(1, target / 100);
        float[] centre = new float[k];
        for (int c = 0; c < target; c++) {
            chosen[c] = next;
            for (int j = 0; j < k; j++) {
                centre[j] = proj[j * n + next];
            }
            int far = 0;
            float farDist = -1;
            for (int from = 0; from < n; from += CHUNK) {
                int len = Math.min(CHUNK, n - from);
                java.util.Arrays.fill(acc, 0, len, 0f);
                for (int j = 0; j < k; j++) {
                    int row = j * n + from;
                    float cj = centre[j];
                    for (int i = 0; i < len; i++) {
                        float d = proj[row + i] - cj;
                        acc[i] += d * d;
                    }
                }
                for (int i = 0; i < len; i++) {
                    float d = Math.min(nearest[from + i], acc[i]);
                    nearest[from + i] = d;
                    if (d > farDist) {
                        farDist = d;
                        far = from + i;
                    }
                }
            }
            next = far;
            if ((c + 1) % step == 0 || c + 1 == target) {
                progress.accept(c + 1);
            }
        }
        return chosen;
    }

    /** Patches per block of the distance update: the accumulators stay in the L1 cache. */
    private static final int CHUNK = 2048;

    private static float[] transpose(float[] rows, int n, int k) {
        float[] out = new float[rows.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                out[j * n + i] = rows[i * k + j];
            }
        }
        return out;
    }

    /** Rows times a Gaussian matrix scaled by 1/sqrt(k); the identity when {@code k == dim}. */
    static float[] project(float[] features, int n, int dim, int k, long seed) {
        if (k == dim) {
            return features;
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        float[] m = new float[dim * k];
        double scale = 1 / Math.sqrt(k);
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (gaussian(rnd) * scale);
        }
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            int fo = i * dim;
            int oo = i * k;
            for (int d = 0; d < dim; d++) {
                float v = features[fo + d];
                int mo = d * k;
                for (int j = 0; j < k; j++) {
                    out[oo + j] += v * m[mo + j];
                }
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
