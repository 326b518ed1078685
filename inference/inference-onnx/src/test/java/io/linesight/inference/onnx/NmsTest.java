/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
    private final Nms nms = new Nms();

    private List<Integer> run(Candidates c, float iou, boolean agnostic, int max) {
        int k = nms.run(c, iou, agnostic, max, false);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            kept.add(nms.kept(i));
        }
        return kept;
    }

    @Test
    void overlappingSameClass_keepsTheBetterOne() {
        Candidates c = new Candidates(4);
        c.add(0, 0, 100, 100, 0.6f, 0);
        c.add(5, 5, 105, 105, 0.9f, 0);
        assertThat(run(c, 0.5f, false, 10)).containsExactly(1);
    }

    @Test
    void equalScores_keepTheFirstAddedDeterministically() {
        Candidates c = new Candidates(4);
        c.add(0, 0, 100, 100, 0.7f, 0);
        c.add(2, 2, 102, 102, 0.7f, 0);
        c.add(500, 500, 600, 600, 0.7f, 0);
        assertThat(run(c, 0.5f, false, 10)).containsExactly(0, 2);
    }

    @Test
    void touchingBoxes_haveNoOverlap_andBothStay() {
        Candidates c = new Candidates(4);
        c.add(0, 0, 100, 100, 0.9f, 0);
        c.add(100, 0, 200, 100, 0.8f, 0);
        assertThat(run(c, 0.0f, false, 10)).containsExactly(0, 1);
    }

    @Test
    void zeroAreaBoxes_areNeverCandidates() {
        Candidates c = new Candidates(4);
        c.add(10, 10, 10, 50, 0.99f, 0);
        c.add(10, 10, 50, 10, 0.99f, 0);
        c.add(10, 10, 50, 50, 0.5f, 0);
        assertThat(c.size()).isEqualTo(1);
        assertThat(run(c, 0.5f, false, 10)).containsExactly(0);
    }

    @Test
    void iouExactlyAtThreshold_isNotSuppressed() {
        Candidates c = new Candidates(4);
        c.add(0, 0, 100, 100, 0.9f, 0);
        c.add(0, 0, 100, 50, 0.8f, 0); // IoU 0.5
        assertThat(run(c, 0.5f, false, 10)).containsExactly(0, 1);
        assertThat(run(c, 0.49f, false, 10)).containsExactly(0);
    }

    @Test
    void classAware_keepsOtherClasses_agnosticDoesNot() {
        Candidates c = new Candidates(4);
        c.add(0, 0, 100, 100, 0.9f, 0);
        c.add(1, 1, 101, 101, 0.8f, 1);
        assertThat(run(c, 0.5f, false, 10)).containsExactly(0, 1);
        assertThat(run(c, 0.5f, true, 10)).containsExactly(0);
    }

    @Test
    void maxDetections_capsTheBestFirstList() {
        Candidates c = new Candidates(2);
        for (int i = 0; i < 50; i++) {
            c.add(i * 20, 0, i * 20 + 10, 10, i / 100f, 0);
        }
        assertThat(run(c, 0.5f, false, 3)).containsExactly(49, 48, 47);
    }

    @Test
    void sortOnly_forEndToEndModels_keepsOverlaps() {
        Candidates c = new Candidates(4);
        c.add(0, 0, 100, 100, 0.6f, 0);
        c.add(5, 5, 105, 105, 0.9f, 0);
        int k = nms.run(c, 0.5f, false, 10, true);
        assertThat(k).isEqualTo(2);
        assertThat(nms.kept(0)).isEqualTo(1);
    }
}
