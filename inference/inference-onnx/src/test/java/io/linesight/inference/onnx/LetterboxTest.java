/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LetterboxTest {

    @Test
    void busJpg_to640_likeUltralytics() {
        Letterbox lb = Letterbox.of(810, 1080, 640, 640, false, 32);
        assertThat(lb.newW()).isEqualTo(480);
        assertThat(lb.newH()).isEqualTo(640);
        assertThat(lb.left()).isEqualTo(80);
        assertThat(lb.top()).isZero();
        assertThat(lb.tensorW()).isEqualTo(640);
    }

    @Test
    void dynamicModel_padsOnlyToTheStride() {
        // Ultralytics' rectangular inference: zidane.jpg 1280x720 -> 640x384
        Letterbox lb = Letterbox.of(1280, 720, 640, 640, true, 32);
        assertThat(lb.tensorW()).isEqualTo(640);
        assertThat(lb.tensorH()).isEqualTo(384);
        assertThat(lb.newH()).isEqualTo(360);
        assertThat(lb.top()).isEqualTo(12);
    }

    @Test
    void oddPadding_splitsWithTheExtraRowBelow() {
        // 640x427 -> 640x427, 213 rows to pad: 106 above, 107 below (round(106.4), round(106.6))
        Letterbox lb = Letterbox.of(640, 427, 640, 640, false, 32);
        assertThat(lb.top()).isEqualTo(106);
        assertThat(lb.tensorH() - lb.top() - lb.newH()).isEqualTo(107);
    }

    @ParameterizedTest
    @CsvSource({"1001,333", "333,1001", "2448,2048", "5472,3648", "17,9", "640,641", "4000,3"})
    void roundTrip_ofAnyPoint_landsWithinOneSourcePixel(int w, int h) {
        Letterbox lb = Letterbox.of(w, h, 640, 640, false, 32);
        assertThat(lb.tensorW()).isEqualTo(640);
        assertThat(lb.tensorH()).isEqualTo(640);
        double scaleX = (double) lb.newW() / w;
        double scaleY = (double) lb.newH() / h;
        for (double fx : new double[] {0, 0.13, 0.5, 0.77, 1}) {
            for (double fy : new double[] {0, 0.31, 0.5, 1}) {
                double sx = fx * w;
                double sy = fy * h;
                float tx = (float) (lb.left() + sx * scaleX);
                float ty = (float) (lb.top() + sy * scaleY);
                // within one source pixel plus the half input pixel the rounding of the resized size can cost
                assertThat((double) lb.toSrcX(tx)).as("x of %sx%s", w, h).isCloseTo(sx, within(1 + 1 / lb.gain()));
                assertThat((double) lb.toSrcY(ty)).as("y of %sx%s", w, h).isCloseTo(sy, within(1 + 1 / lb.gain()));
            }
        }
    }

    @Test
    void boxesOutsideTheImage_areClipped() {
        Letterbox lb = Letterbox.of(810, 1080, 640, 640, false, 32);
        assertThat(lb.toSrcX(0)).isZero();
        assertThat(lb.toSrcX(640)).isEqualTo(810f);
        assertThat(lb.toSrcY(700)).isEqualTo(1080f);
    }
}
