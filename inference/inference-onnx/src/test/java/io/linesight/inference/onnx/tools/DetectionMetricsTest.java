/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.inference.api.Detection;
import io.linesight.inference.onnx.tools.DetectionMetrics.Truth;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Four images, two classes, numbers worked out by hand (pycocotools rules):
 * <pre>
 * img1  truth a[0,0,100,100]                 pred a .9 same box (TP), a .3 [200,200,300,300] (FP)
 * img2  truth a[0,0,100,100], b[200,200,300,300]  pred a .8 [0,0,100,80] (IoU .80), b .2 exact (below recipe .25)
 * img3  no truth                               pred b .6 [10,10,50,50] (FP, overkill)
 * img4  truth b[0,0,50,50]                     no pred (escape)
 *
 * class a, IoU .50-.80: order .9 TP, .8 TP, .3 FP: envelope 1 up to recall 1, AP = 1
 * class a, IoU .85-.95: .9 TP, .8 FP, .3 FP: precision 1 up to recall .5 (101-point: 51 of 101), AP = 51/101
 * class b, every IoU: .6 FP, .2 TP: precision .5 up to recall .5, AP = 51 * .5 / 101
 * </pre>
 */
class DetectionMetricsTest {
    private DetectionMetrics m;

    private static Detection p(int c, double s, float x1, float y1, float x2, float y2) {
        return new Detection(x1, y1, x2, y2, c, c == 0 ? "a" : "b", (float) s);
    }

    @BeforeEach
    void fill() {
        m = new DetectionMetrics(List.of("a", "b"), new float[] {0.25f, 0.25f});
        m.add(List.of(new Truth(0, 0, 0, 100, 100)), List.of(p(0, 0.3, 200, 200, 300, 300), p(0, 0.9, 0, 0, 100, 100)));
        m.add(List.of(new Truth(0, 0, 0, 100, 100), new Truth(1, 200, 200, 300, 300)),
                List.of(p(0, 0.8, 0, 0, 100, 80), p(1, 0.2, 200, 200, 300, 300)));
        m.add(List.of(), List.of(p(1, 0.6, 10, 10, 50, 50)));
        m.add(List.of(new Truth(1, 0, 0, 50, 50)), List.of());
    }

    @Test
    void averagePrecision_matchesTheHandComputation() {
        double apB = 51 * 0.5 / 101;
        assertThat(m.ap50(0)).isCloseTo(1.0, within(1e-9));
        assertThat(m.ap(0, 9)).isCloseTo(51.0 / 101, within(1e-9));
        assertThat(m.ap50to95(0)).isCloseTo((7 + 3 * 51.0 / 101) / 10, within(1e-9));
        assertThat(m.ap50(1)).isCloseTo(apB, within(1e-9));
        assertThat(m.ap50to95(1)).isCloseTo(apB, within(1e-9));
        assertThat(m.map50()).isCloseTo((1 + apB) / 2, within(1e-9));
        assertThat(m.map50to95()).isCloseTo(((7 + 3 * 51.0 / 101) / 10 + apB) / 2, within(1e-9));
    }

    @Test
    void precisionRecall_atTheRecipeThresholds() {
        assertThat(m.precision(0)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(m.recall(0)).isEqualTo(1.0);
        assertThat(m.precision(1)).isZero();
        assertThat(m.recall(1)).isZero();
        assertThat(m.precision()).isEqualTo(0.5);
        assertThat(m.recall()).isEqualTo(0.5);
    }

    @Test
    void escapeAndOverkill_countImagesThatWouldPassOrBeRejected() {
        assertThat(m.defectImages()).isEqualTo(3);
        assertThat(m.escapeRate()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(m.goodImages()).isEqualTo(1);
        assertThat(m.overkillRate()).isEqualTo(1.0);
    }

    @Test
    void confusionMatrix_rowsPredicted_columnsTrue_withBackground() {
        assertThat(m.confusionMatrix()).isDeepEqualTo(new long[][] {
                {2, 0, 1},
                {0, 0, 1},
                {0, 2, 0}});
    }
}
