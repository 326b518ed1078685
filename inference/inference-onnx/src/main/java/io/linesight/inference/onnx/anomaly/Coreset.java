/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
     * @param threads    threads sharing each step's distance update (the caller's thread is one of them); below
     *                   {@link #PARALLEL_MIN_ROWS} rows the caller works alone, as a step is then too short to share.
     *                   The result does not depend on it: every step takes the farthest patch, the lowest index on a tie.
     * @param progress   called with the number chosen so far, about every 1 % of {@code target}; on the caller's thread
     * @return the chosen row indices, in the order chosen
     */
    static int[] select(float[] features, int n, int dim, int target, int projectionDim, long seed, int threads,
                        IntConsumer progress) {
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
        int parts = n < PARALLEL_MIN_ROWS ? 1 : Math.max(1, threads);
        // each part a whole number of chunks, so a part's accumulators never straddle another's rows
        int chunks = (n + CHUNK - 1) / CHUNK;
        int chunksPerPart = (chunks + parts - 1) / parts;
        float[] centre = new float[k];
        Part[] work = new Part[parts];
        for (int p = 0; p < parts; p++) {
            int from = (int) Math.min(n, (long) p * chunksPerPart * CHUNK);
            work[p] = new Part(proj, nearest, centre, n, from, (int) Math.min(n, (long) from + (long) chunksPerPart * CHUNK));
        }
        int[] chosen = new int[target];
        int next = new SplittableRandom(seed).nextInt(n);
        int step = Math.max(1, target / 100);
        ExecutorService pool = parts > 1 ? Executors.newFixedThreadPool(parts - 1, r -> {
            Thread t = new Thread(r, "coreset");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            List<Future<?>> pending = new ArrayList<>(parts);
            for (int c = 0; c < target; c++) {
                chosen[c] = next;
                for (int j = 0; j < k; j++) {
                    centre[j] = proj[j * n + next];
                }
                pending.clear();
                for (int p = 1; p < parts; p++) {
                    pending.add(pool.submit(work[p]));
                }
                work[0].run();
                for (Future<?> f : pending) {
                    f.get();
                }
                // parts are in index order and each keeps its first maximum: strict > keeps the lowest index overall
                int far = work[0].far;
                float farDist = work[0].farDist;
                for (int p = 1; p < parts; p++) {
                    if (work[p].farDist > farDist) {
                        farDist = work[p].farDist;
                        far = work[p].far;
                    }
                }
                next = far;
                if ((c + 1) % step == 0 || c + 1 == target) {
                    progress.accept(c + 1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("coreset selection interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("coreset selection failed", e.getCause());
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return chosen;
    }

    /**
     * One share of the patches: folds the newest centre into their nearest distances and finds their farthest. The
     * caller writes {@code centre} before handing the share to a thread (the executor's hand-off orders the writes)
     * and reads {@code far}/{@code farDist} after its future completes.
     */
    private static final class Part implements Runnable {
        private final float[] proj;
        private final float[] nearest;
        private final int n;
        private final int k;
        private final int from;
        private final int to;
        private final float[] centre;
        private final float[] acc = new float[CHUNK];
        int far;
        float farDist;

        Part(float[] proj, float[] nearest, float[] centre, int n, int from, int to) {
            this.proj = proj;
            this.nearest = nearest;
            this.centre = centre;
            this.n = n;
            this.k = centre.length;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            far = from;
            farDist = -1;
            for (int start = from; start < to; start += CHUNK) {
                int len = Math.min(CHUNK, to - start);
                java.util.Arrays.fill(acc, 0, len, 0f);
                for (int j = 0; j < k; j++) {
                    int row = j * n + start;
                    float cj = centre[j];
                    for (int i = 0; i < len; i++) {
                        float d = proj[row + i] - cj;
                        acc[i] += d * d;
                    }
                }
                for (int i = 0; i < len; i++) {
                    float d = Math.min(nearest[start + i], acc[i]);
                    nearest[start + i] = d;
                    if (d > farDist) {
                        farDist = d;
                        far = start + i;
                    }
                }
            }
        }
    }

    /** Below this many patches one step takes well under a millisecond: handing it to other threads costs more. */
    static final int PARALLEL_MIN_ROWS = 1 << 16;

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
