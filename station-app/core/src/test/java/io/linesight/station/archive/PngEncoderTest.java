/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngEncoderTest {

    @ParameterizedTest
    @CsvSource({"NONE,0,MONO8", "SUB,1,MONO8", "UP,1,MONO8", "UP,6,MONO8", "NONE,0,MONO16", "SUB,3,MONO12", "UP,1,MONO16"})
    void anyFilterAndLevel_decodesToTheSamePixels_withAReusedEncoder(PngEncoder.Filter filter, int level, PixelFormat f)
            throws Exception {
        PngEncoder encoder = new PngEncoder(level, filter);
        Random r = new Random(level * 31L + filter.ordinal());
        for (int[] size : new int[][] {{1, 1}, {7, 3}, {333, 127}, {64, 64}}) {
            int w = size[0];
            int h = size[1];
            byte[] px = new byte[w * h * f.bytesPerPixel()];
            r.nextBytes(px);
            if (f == PixelFormat.MONO12) {
                for (int k = 1; k < px.length; k += 2) {
                    px[k] &= 0x0f; // 12 significant bits, little-endian
                }
            }
            int n = encoder.encode(w, h, f, px);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Arrays.copyOf(encoder.bytes(), n)));
            assertThat(img.getWidth()).isEqualTo(w);
            assertThat(img.getHeight()).isEqualTo(h);
            if (f == PixelFormat.MONO8) {
                assertThat(((DataBufferByte) img.getRaster().getDataBuffer()).getData()).isEqualTo(px);
            } else {
                short[] got = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
                for (int k = 0; k < w * h; k++) {
                    assertThat(got[k] & 0xffff).isEqualTo((px[2 * k] & 0xff) | (px[2 * k + 1] & 0xff) << 8);
                }
            }
        }
    }
}
