/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Greedy coreset selection should")
class CoresetTest {

    @Test
    @DisplayName("keep one patch of every distant cluster before a second of any")
    void coversEveryCluster() {
        int dim = 8;
        int perCluster = 500;
        int clusters = 4;
        float[] rows = new float[clusters * perCluster * dim];
        Random rnd = new Random(3);
        for (int c = 0; c < clusters; c++) {
            for (int i = 0; i < perCluster; i++) {
                int at = (c * perCluster + i) * dim;
                for (int d = 0; d < dim; d++) {
                    rows[at + d] = (float) rnd.nextGaussian() * 0.1f + (d == c ? 50f : 0f);
                }
            }
        }
        int[] chosen = Coreset.select(rows, clusters * perCluster, dim, clusters, dim, 42, 1, i -> { });

        Set<Integer> clustersHit = new HashSet<>();
        for (int row : chosen) {
            clustersHit.add(row / perCluster);
        }
        assertThat(clustersHit).hasSize(clusters);
    }

    @Test
    @DisplayName("choose the same bank with several threads as with one, so learning does not depend on the machine")
    void sameBankWhateverTheThreads() {
        int n = Coreset.PARALLEL_MIN_ROWS + 12_345; // enough rows that the work is shared
        int dim = 24;
        float[] rows = new float[n * dim];
        Random rnd = new Random(11);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) rnd.nextGaussian();
        }
        // ties: a block of identical far rows across the boundary of two threads' shares (20 blocks of 2048 rows
        // each) must resolve to its lowest index, as on one thread
        int boundary = 20 * 2048;
        for (int i = boundary - 40; i < boundary + 40; i++) {
            Arrays.fill(rows, i * dim, (i + 1) * dim, 9f);
        }
        int[] one = Coreset.select(rows, n, dim, 300, 16, 7, 1, i -> { });
        int[] two = Coreset.select(rows, n, dim, 300, 16, 7, 2, i -> { });
        int[] three = Coreset.select(rows, n, dim, 300, 16, 7, 3, i -> { });

        assertThat(two).containsExactly(one);
        assertThat(three).containsExactly(one);
        assertThat(one).contains(boundary - 40).doesNotContain(boundary - 39, boundary, boundary + 39);
    }
}
