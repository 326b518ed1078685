/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * How {@code station detect} and {@code eval} read an image file ({@link FrameImages#read}), on any bytes: an image
 * of at most {@link FrameImages#MAX_PIXELS} pixels, or an {@link IOException} whose message starts with the file and
 * is one line; nothing else thrown, no hang, no giant allocation (the per-input timeout and the fuzzer's memory limit
 * catch those). This is separate code from the replay camera's decoder, which {@code GreyDecoderFuzzTest} covers.
 *
 * <p>Seeds: images from the replay decoder's corpus, in each format ImageIO reads, whole and cut short, and the BMP
 * that once took 17 s: {@code src/test/resources/io/linesight/inference/onnx/FrameImagesFuzzTestInputs/read/}; a
 * finding lands there too and is replayed by every build. How to fuzz: docs/RELIABILITY.md.
 */
class FrameImagesFuzzTest {
    private static final Path FILE = file();

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "5m")
    void read(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        BufferedImage image;
        try {
            image = FrameImages.read(FILE);
        } catch (IOException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": ").doesNotContain("\n").doesNotContain("\r");
            return;
        }
        assertThat(image.getWidth()).isPositive();
        assertThat(image.getHeight()).isPositive();
        assertThat((long) image.getWidth() * image.getHeight()).isLessThanOrEqualTo(FrameImages.MAX_PIXELS);
    }

    private static Path file() {
        try {
            Path dir = Files.createTempDirectory("linesight-image-fuzz");
            Path f = dir.resolve("image");
            dir.toFile().deleteOnExit(); // registered first, deleted last
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
