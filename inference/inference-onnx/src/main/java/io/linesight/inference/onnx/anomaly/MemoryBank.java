/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The good patches the anomaly model compares against, {@code size x dim} floats in native memory, and the
 * nearest-neighbour search over them. Squared distances come from {@code |x|² + |b|² - 2 x·b}, the dot products from
 * one OpenBLAS SGEMM per block of bank rows, so a 1024-patch image against a 10,000-row bank is one matrix product
 * rather than ten million Java loops.
 *
 * <p>Not thread-safe (the scratch buffers are reused): one per scoring thread, owned by its {@link AnomalyModel}.
 */
final class MemoryBank {
    private static final int BLOCK = 2048;

    private final int size;
    private final int dim;
    private final FloatBuffer bank;
    private final float[] bankNorms;
    private FloatBuffer query = FloatBuffer.allocate(0);
    private FloatBuffer scratch = FloatBuffer.allocate(0);

    MemoryBank(float[] rows, int size, int dim) {
        if (rows.length != size * dim || size == 0) {
            throw new IllegalArgumentException("memory bank of " + size + " x " + dim + " has " + rows.length + " values");
        }
        Natives.ensureLoaded();
        this.size = size;
        this.dim = dim;
        this.bank = direct(rows.length);
        bank.put(rows).flip();
        this.bankNorms = new float[size];
        for (int i = 0; i < size; i++) {
            bankNorms[i] = squaredNorm(rows, i * dim, dim);
        }
    }

    int size() {
        return size;
    }

    int dim() {
        return dim;
    }

    /** For each of the {@code n} query rows, the Euclidean distance to its nearest bank row. */
    float[] nearestDistances(float[] rows, int n) {
        if (rows.length != n * dim) {
            throw new IllegalArgumentException(n + " query rows of dim " + dim + " need " + n * dim + " values, got "
                    + rows.length);
        }
        if (!query.isDirect() || query.capacity() < rows.length) {
            query = direct(rows.length);
        }
        query.clear();
        query.put(rows).flip();
        FloatBuffer prod = scratch(n * BLOCK);
        float[] best = new float[n];
        java.util.Arrays.fill(best, Float.POSITIVE_INFINITY);
        float[] block = new float[n * BLOCK];
        for (int start = 0; start < size; start += BLOCK) {
            int m = Math.min(BLOCK, size - start);
            prod.position(0);
            // products[i, j] = query_i · bank_(start + j), row-major n x m
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasTrans, n, m, dim, 1f, query, dim, bank.slice(start * dim, m * dim), dim,
                    0f, prod, m);
            prod.position(0);
            prod.get(block, 0, n * m);
            for (int i = 0; i < n; i++) {
                int o = i * m;
                float b = best[i];
                for (int j = 0; j < m; j++) {
                    float d = bankNorms[start + j] - 2 * block[o + j];
                    if (d < b) {
                        b = d;
                    }
                }
                best[i] = b;
            }
        }
        for (int i = 0; i < n; i++) {
            best[i] = (float) Math.sqrt(Math.max(0, best[i] + squaredNorm(rows, i * dim, dim)));
        }
        return best;
    }

    private FloatBuffer scratch(int floats) {
        if (!scratch.isDirect() || scratch.capacity() < floats) {
            scratch = direct(floats);
        }
        scratch.clear();
        return scratch;
    }

    /** The bank rows, for writing the model file. */
    float[] rows() {
        float[] out = new float[size * dim];
        bank.duplicate().position(0).get(out);
        return out;
    }

    private static float squaredNorm(float[] a, int off, int dim) {
        float s = 0;
        for (int d = 0; d < dim; d++) {
            s += a[off + d] * a[off + d];
        }
        return s;
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(Math.max(1, floats) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Loads bytedeco's OpenBLAS once. */
    private static final class Natives {
        static final boolean LOADED = load();

        private static boolean load() {
            Loader.load(openblas_nolapack.class);
            return true;
        }

        static void ensureLoaded() {
            if (!LOADED) {
                throw new IllegalStateException("OpenBLAS did not load");
            }
        }
    }
}
