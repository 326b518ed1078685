/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import io.linesight.config.recipe.ModelSpec.GpuSpec;
import java.util.Random;

/**
 * Times the memory bank search at three bank sizes on one provider: {@code java ... MemoryBankBenchMain [provider]
 * [threads]} (cpu, 2 by default; benchmarks/gpu/run.sh runs it with cuda). Prints one Markdown row per size: the median
 * of 7 searches after one warm-up (docs/BENCHMARKS.md "Anomaly models").
 */
public final class MemoryBankBenchMain {
    private MemoryBankBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        String provider = args.length > 0 ? args[0] : "cpu";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        // the demo's bank against a 928x648 ROI; the magnetic-tile bank against a 256x256 input; the largest bank
        // measured on magnetic tile against a tile enlarged two times
        int[][] cases = {{4_000, 128, 9_396}, {10_000, 128, 2_048}, {30_000, 192, 10_000}};
        GpuSpec noFallback = new GpuSpec(0, provider.equals("cpu"), "exhaustive", 0, "next-power-of-two", false, null);
        Random r = new Random(3);
        System.out.println("| bank | patches | runs on | median ms |");
        System.out.println("|---|---|---|---|");
        for (int[] c : cases) {
            int size = c[0];
            int dim = c[1];
            int n = c[2];
            float[] bank = gaussian(r, size * dim);
            float[] query = gaussian(r, n * dim);
            long[] times = new long[7];
            try (MemoryBank m = MemoryBank.open(bank, size, dim, "bench", provider, threads, noFallback)) {
                m.nearestDistances(query, n);
                for (int k = 0; k < times.length; k++) {
                    long t0 = System.nanoTime();
                    m.nearestDistances(query, n);
                    times[k] = System.nanoTime() - t0;
                }
                java.util.Arrays.sort(times);
                System.out.printf("| %,d x %d | %,d | %s | %.1f |%n", size, dim, n, m.provider(), times[times.length / 2] / 1e6);
            }
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
