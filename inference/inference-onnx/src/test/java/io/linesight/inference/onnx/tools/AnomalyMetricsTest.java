/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Anomaly metrics should")
class AnomalyMetricsTest {

    @Test
    void aurocIsTheShareOfDefectGoodPairsRankedRight() {
        double[] good = {0.1, 0.2, 0.3, 0.4};
        assertThat(AnomalyMetrics.auroc(good, new double[] {0.5, 0.6})).isEqualTo(1.0);
        assertThat(AnomalyMetrics.auroc(good, new double[] {0.05})).isEqualTo(0.0);
        // 0.25 beats 0.1 and 0.2 (2 of 4); 0.3 ties one (0.5) and beats two: (2 + 2.5) / 8
        assertThat(AnomalyMetrics.auroc(good, new double[] {0.25, 0.3})).isEqualTo(4.5 / 8);
    }

    @Test
    void thresholdAtAFalseRejectRateLetsAtMostThatShareOfGoodAbove() {
        double[] good = new double[100];
        for (int i = 0; i < 100; i++) {
            good[i] = i;
        }
        double t5 = AnomalyMetrics.thresholdAt(good, 0.05);
        assertThat(AnomalyMetrics.rateAbove(good, t5)).isEqualTo(0.05);
        assertThat(AnomalyMetrics.rateAbove(good, AnomalyMetrics.thresholdAt(good, 0.01))).isEqualTo(0.01);
        // with fewer good images than 1/rate no image may be rejected: the threshold is their maximum
        assertThat(AnomalyMetrics.thresholdAt(new double[] {3, 1, 2}, 0.01)).isEqualTo(3);
    }

    @Test
    void bestF1FindsTheSeparatingThreshold() {
        double[] f1 = AnomalyMetrics.bestF1(new double[] {1, 2, 3}, new double[] {5, 6});
        assertThat(f1[0]).isEqualTo(1.0);
        assertThat(f1[1]).isGreaterThanOrEqualTo(3).isLessThan(5);
    }

    @Test
    void pixelAurocFromHistogramsMatchesTheExactOne() {
        java.util.Random r = new java.util.Random(3);
        double[] neg = new double[5000];
        double[] pos = new double[500];
        AnomalyMetrics.PixelRoc roc = new AnomalyMetrics.PixelRoc(10);
        for (int i = 0; i < neg.length; i++) {
            neg[i] = Math.abs(r.nextGaussian() * 2);
            roc.add((float) neg[i], false);
        }
        for (int i = 0; i < pos.length; i++) {
            pos[i] = Math.abs(2 + r.nextGaussian() * 2);
            roc.add((float) pos[i], true);
        }
        assertThat(roc.auroc()).isCloseTo(AnomalyMetrics.auroc(neg, pos), within(1e-3));
    }
}
