/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.linesight.config.recipe.ModelSpec.GpuSpec;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bank search graph against distances summed in double precision, on CPU here; benchmarks/gpu/run.sh runs
 * AnomalyModelTest with CUDA, where the same graph runs on the GPU and its scores are compared with CPU's.
 */
@DisplayName("The memory bank should find each patch's nearest good patch")
class MemoryBankTest {
    @Test
    void nearestDistances_areTheExactOnes_whateverHowManyRunsTheQueriesTake() throws Exception {
        Random r = new Random(11);
        int size = 700;
        int dim = 24;
        int n = 1_000;
        float[] bank = gaussian(r, size * dim, 1);
        float[] query = new float[n * dim];
        for (int i = 0; i < n; i++) {
            // half the queries lie near a bank row, half anywhere: small and large distances both
            int near = r.nextInt(size);
            for (int d = 0; d < dim; d++) {
                query[i * dim + d] = i % 2 == 0 ? bank[near * dim + d] + 0.05f * (float) r.nextGaussian()
                        : 2 * (float) r.nextGaussian();
            }
        }
        // 30,000 floats a run: 42 queries a run against 700 rows, 24 runs; and everything in one run
        try (MemoryBank runs = MemoryBank.open(bank, size, dim, "test bank", "cpu", 1, GpuSpec.DEFAULTS, 30_000);
             MemoryBank one = MemoryBank.open(bank, size, dim, "test bank", "cpu", 1, GpuSpec.DEFAULTS)) {
            assertThat(runs.provider()).isEqualTo("CPU");
            float[] a = runs.nearestDistances(query, n);
            float[] b = one.nearestDistances(query, n);
            for (int i = 0; i < n; i++) {
                double exact = Math.sqrt(nearestSquared(bank, size, dim, query, i));
                // |x|² + |b|² - 2x·b in float loses absolute precision near 0: about 1e-3 of |x|
                assertThat((double) a[i]).as("query %d", i).isCloseTo(exact, within(2e-3 * Math.max(1, exact)));
                assertThat(b[i]).as("query %d in one run", i).isEqualTo(a[i]);
            }
        }
    }

    @Test
    void aQueryOfTheWrongWidth_isRefused() throws Exception {
        try (MemoryBank m = MemoryBank.open(gaussian(new Random(1), 40, 1), 10, 4, "b", "cpu", 1, GpuSpec.DEFAULTS)) {
            assertThatThrownBy(() -> m.nearestDistances(new float[10], 3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 query rows of dim 4 need 12 values, got 10");
        }
    }

    private static double nearestSquared(float[] bank, int size, int dim, float[] query, int i) {
        double best = Double.MAX_VALUE;
        for (int b = 0; b < size; b++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                double diff = query[i * dim + d] - bank[b * dim + d];
                s += diff * diff;
            }
            best = Math.min(best, s);
        }
        return best;
    }

    private static float[] gaussian(Random r, int n, float sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * (float) r.nextGaussian();
        }
        return v;
    }
}
