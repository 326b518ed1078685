/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DetectionTest {
    static Detection box(float x1, float y1, float x2, float y2) {
        return new Detection(x1, y1, x2, y2, 0, "scratch", 0.9f);
    }

    @Test
    void iou_ofHalfOverlappingBoxes_isOneThird() {
        assertThat(box(0, 0, 10, 10).iou(box(5, 0, 15, 10))).isCloseTo(1f / 3f, within(1e-6f));
    }

    @Test
    void iou_ofTouchingOrZeroAreaBoxes_isZero() {
        assertThat(box(0, 0, 10, 10).iou(box(10, 0, 20, 10))).isZero();
        assertThat(box(5, 5, 5, 5).iou(box(5, 5, 5, 5))).isZero();
    }

    @Test
    void invertedBox_hasNoArea() {
        assertThat(box(10, 10, 0, 0).area()).isZero();
    }
}
