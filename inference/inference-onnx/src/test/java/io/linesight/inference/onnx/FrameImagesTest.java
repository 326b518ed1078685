/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an image file for detect, eval and learning: what a damaged or hostile header gets. */
class FrameImagesTest {
    @TempDir
    Path dir;

    private Path seed(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("FrameImagesFuzzTestInputs/read/" + name)) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    @Test
    void aTiffClaimingHundredsOfSamplesAPixel_isRefusedFromItsHeader() throws Exception {
        // 308 bytes claiming 288 samples of 32 bits a pixel: decoding it ran a 1.8 GB heap out of memory
        Path file = seed("tiff-claiming-288-samples.tif");

        IOException e = catchThrowableOfType(IOException.class, () -> FrameImages.read(file));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(file + ": 288 samples a pixel of up to 32 bits; an image here has at most 4 of "
                + "at most 16 bits");
    }

    @Test
    void aPngDeclaringMorePixelsThanItsFileCouldHold_isRefusedFromItsHeader() throws Exception {
        // 351 bytes declaring 1x134217744 pixels: decoding it took over 10 s (found by fuzzing)
        Path file = seed("png-1x134217744-cut-short.png");

        IOException e = catchThrowableOfType(IOException.class, () -> FrameImages.read(file));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(file + ": truncated or corrupt image: a PNG of 1x134217744 pixels needs at "
                + "least 260111 bytes, the file has 351");
    }

    @Test
    void aWholePng_isStillRead() throws Exception {
        BufferedImage image = FrameImages.read(seed("grey8.png"));

        assertThat(image.getWidth()).isPositive();
    }

    @Test
    void aSixteenBitGreyTiff_isStillRead() throws Exception {
        BufferedImage image = FrameImages.read(seed("grey16.tif"));

        assertThat(image.getWidth()).isPositive();
        assertThat(image.getColorModel().getComponentSize(0)).isEqualTo(16);
    }
}
