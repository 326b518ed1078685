/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.config.recipe.ModelSpec.GpuSpec;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.OnnxGraph;
import io.linesight.inference.onnx.SessionFactory;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * The good patches an anomaly model compares against, {@code size x dim} floats, and the nearest-neighbour search
 * over them: for every patch feature of an image, the Euclidean distance to the nearest good patch. The search is an
 * ONNX graph with the bank as a constant, made when the model is opened and run on the backbone's execution provider,
 * so CPU and GPU run the same graph, and on a GPU the search, most of the work at large banks, is not left to the
 * CPU. The graph computes {@code min_j (|b_j|² - 2 x·b_j)} per patch ({@code MatMul} with the transposed bank,
 * {@code ReduceMin}); Java adds {@code |x|²} and takes the square root. The patches go in runs of at most
 * {@link #MAX_PRODUCT_FLOATS} / bank-size rows, so the [patches x bank] product stays under 64 MB whatever the bank.
 * On CPU ONNX Runtime's matrix product measured 10-20 % faster than one OpenBLAS SGEMM per block of bank rows
 * (docs/BENCHMARKS.md "Anomaly models").
 *
 * <p>Not thread-safe: one per scoring thread, owned and closed by its {@link AnomalyModel}. {@link #nearestDistances}
 * blocks for the whole search; {@link #close()} is idempotent.
 */
final class MemoryBank implements AutoCloseable {
    /** The largest [patches x bank] product of one run, in floats (64 MB). */
    static final long MAX_PRODUCT_FLOATS = 16L << 20;

    private final OrtSession session;
    private final String provider;
    private final int size;
    private final int dim;
    private final int run;
    private final String label;
    private boolean closed;

    private MemoryBank(OrtSession session, String provider, int size, int dim, String label, long maxProductFloats) {
        this.session = session;
        this.provider = provider;
        this.size = size;
        this.dim = dim;
        this.run = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxProductFloats / size));
        this.label = label;
    }

    /**
     * Makes the graph for {@code size x dim} bank rows and opens it on {@code provider} by the detectors' rules
     * ({@link SessionFactory}: a GPU that cannot start falls back to CPU unless {@code gpu.cpuFallback} is false).
     */
    static MemoryBank open(float[] rows, int size, int dim, String label, String provider, int threads, GpuSpec gpu)
            throws InferenceException {
        return open(rows, size, dim, label, provider, threads, gpu, MAX_PRODUCT_FLOATS);
    }

    /** As {@link #open(float[], int, int, String, String, int, GpuSpec)}, with runs of {@code maxProductFloats}. */
    static MemoryBank open(float[] rows, int size, int dim, String label, String provider, int threads, GpuSpec gpu,
                                long maxProductFloats) throws InferenceException {
        SessionFactory.Opened opened = SessionFactory.open(graph(rows, size, dim), label, provider, Math.max(1, threads),
                gpu, "anomaly.gpu");
        return new MemoryBank(opened.session(), opened.provider(), size, dim, label, maxProductFloats);
    }

    /** The ONNX graph: input {@code patches [p, dim]}, output {@code best [p, 1]}. */
    static byte[] graph(float[] rows, int size, int dim) {
        if (rows.length != size * dim || size == 0) {
            throw new IllegalArgumentException("memory bank of " + size + " x " + dim + " has " + rows.length + " values");
        }
        float[] transposed = new float[size * dim];
        float[] norms = new float[size];
        for (int j = 0; j < size; j++) {
            float s = 0;
            for (int d = 0; d < dim; d++) {
                float v = rows[j * dim + d];
                transposed[d * size + j] = v;
                s += v * v;
            }
            norms[j] = s;
        }
        return new OnnxGraph()
                .input("patches", "p", (long) dim)
                .output("best", "p", 1L)
                .initializer("bank_t", transposed, dim, size)
                .initializer("bank_norms", norms, size)
                .initializer("minus_two", new float[] {-2f})
                .node("MatMul", List.of("patches", "bank_t"), "dot", Map.of())
                .node("Mul", List.of("dot", "minus_two"), "scaled", Map.of())
                .node("Add", List.of("scaled", "bank_norms"), "partial", Map.of())
                .node("ReduceMin", List.of("partial"), "best", Map.of("axes", new long[] {1}, "keepdims", 1))
                .model(Map.of());
    }

    /** Where the search runs: {@code CPU}, {@code CUDA} or {@code TensorRT}. */
    String provider() {
        return provider;
    }

    int size() {
        return size;
    }

    int dim() {
        return dim;
    }

    /**
     * For each of the {@code n} query rows ({@code n x dim()} floats, row-major, not kept), the distance to its
     * nearest bank row.
     */
    float[] nearestDistances(float[] rows, int n) throws InferenceException {
        if (rows.length != n * dim) {
            throw new IllegalArgumentException(n + " query rows of dim " + dim + " need " + n * dim + " values, got "
                    + rows.length);
        }
        float[] best = new float[n];
        try {
            for (int start = 0; start < n; start += run) {
                int m = Math.min(run, n - start);
                try (OnnxTensor in = OnnxTensor.createTensor(ai.onnxruntime.OrtEnvironment.getEnvironment(),
                        FloatBuffer.wrap(rows, start * dim, m * dim), new long[] {m, dim});
                     OrtSession.Result r = session.run(Map.of("patches", in))) {
                    FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    out.get(best, start, m);
                }
            }
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.Code.RUN_FAILED, label + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < n; i++) {
            float q = 0;
            for (int d = 0; d < dim; d++) {
                float v = rows[i * dim + d];
                q += v * v;
            }
            best[i] = (float) Math.sqrt(Math.max(0, best[i] + q));
        }
        return best;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session only frees memory; nothing to do about a failure
        }
    }
}
