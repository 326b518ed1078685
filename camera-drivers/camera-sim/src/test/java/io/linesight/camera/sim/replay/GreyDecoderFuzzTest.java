/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linesight.camera.api.CameraException;
import io.linesight.config.PixelFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Timeout;

/**
 * The replay camera's decoder on any bytes, as an 8-bit and as a 12-bit camera: a complete frame or a
 * {@link CameraException} that names the file on one line and leaves no frame in the buffer; no other exception,
 * no error, no hang (the timeout is per input).
 *
 * <p>Seeds: 16x16 images in every format ImageIO reads, made by {@link GreyDecoderSeeds}, in
 * {@code src/test/resources/io/linesight/camera/sim/replay/GreyDecoderFuzzTestInputs/decode/}; a finding lands
 * there too and is replayed by every build. How to fuzz: docs/RELIABILITY.md.
 */
class GreyDecoderFuzzTest {
    static final String NAME = "fuzz.img";
    static final int SIDE = 16;

    static {
        // No temporary cache file per decoded stream: memory only.
        ImageIO.setUseCache(false);
    }

    private final GreyDecoder mono8 = new GreyDecoder(PixelFormat.MONO8, SIDE, SIDE);
    private final GreyDecoder mono12 = new GreyDecoder(PixelFormat.MONO12, SIDE, SIDE);
    private final ByteBuffer frame8 = ByteBuffer.allocateDirect(SIDE * SIDE);
    private final ByteBuffer frame12 = ByteBuffer.allocateDirect(SIDE * SIDE * 2);

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "5m")
    void decode(byte[] file) throws IOException {
        if (decodes(mono8, file, frame8)) {
            assertThat(frame8.limit()).isEqualTo(SIDE * SIDE);
            assertThat(decodes(mono12, file, frame12)).as("what decodes for one format decodes for another").isTrue();
            assertThat(frame12.limit()).isEqualTo(SIDE * SIDE * 2);
            for (int i = 0; i < SIDE * SIDE; i++) {
                int pixel = (frame12.get(2 * i) & 0xff) | (frame12.get(2 * i + 1) & 0xff) << 8; // little-endian
                assertThat(pixel).isLessThanOrEqualTo(PixelFormat.MONO12.maxValue());
            }
        }
    }

    private static boolean decodes(GreyDecoder decoder, byte[] file, ByteBuffer frame) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            decoder.decode(NAME, in, frame);
            return true;
        } catch (CameraException e) {
            assertThat(e.getMessage()).startsWith(NAME + ": ").doesNotContain("\n");
            assertThat(frame.limit()).as("no frame after an error").isZero();
            return false;
        }
    }
}
