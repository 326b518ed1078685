/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.station.fanout.LatestImages;
import org.junit.jupiter.api.Test;

class ShotImageTest {

    private static LatestImages.Image gradient(int w, int h) {
        byte[] g = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g[y * w + x] = (byte) (x + 3 * y);
            }
        }
        return new LatestImages.Image("bright", "top", "p1", w, h, g);
    }

    @Test
    void largeImage_isSubsampledToFit_andOverlayScaleFollows() {
        ShotImage s = ShotImage.downscaledCopy(gradient(1280, 1024), 640);
        assertThat(s.width()).isEqualTo(640);
        assertThat(s.height()).isEqualTo(512);
        assertThat(s.scale()).isEqualTo(0.5);
        // pixel (10, 7) of the copy is pixel (20, 14) of the frame
        assertThat(s.grey()[7 * 640 + 10]).isEqualTo((byte) (20 + 3 * 14));
        assertThat(s.partId()).isEqualTo("p1");
    }

    @Test
    void smallImage_isCopiedWhole_notShared() {
        LatestImages.Image src = gradient(100, 80);
        ShotImage s = ShotImage.downscaledCopy(src, 640);
        assertThat(s.width()).isEqualTo(100);
        assertThat(s.scale()).isEqualTo(1.0);
        assertThat(s.grey()).isEqualTo(src.grey()).isNotSameAs(src.grey());
    }
}
