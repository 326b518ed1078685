/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.camera.api.CameraException;
import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A damaged file is an error naming it, never a stack trace and never a half-grey frame judged as a part. */
class GreyDecoderTest {
    static final int W = 64;
    static final int H = 48;

    @TempDir
    Path dir;

    final GreyDecoder decoder = new GreyDecoder(PixelFormat.MONO8, W, H);
    final ByteBuffer frame = ByteBuffer.allocateDirect(W * H);

    CameraException refusal(Path file) {
        CameraException e = catchThrowableOfType(CameraException.class, () -> decoder.decode(file, frame));
        assertThat(e).as("refused with a CameraException").isNotNull();
        assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
        assertThat(frame.limit()).as("no frame is left in the buffer").isZero();
        return e;
    }

    Path truncated(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        return Files.write(file, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    }

    @Test
    void aCompleteImage_decodes() throws Exception {
        decoder.decode(TestImages.grey8(dir.resolve("a.png"), W, H, 7), frame);
        assertThat(frame.limit()).isEqualTo(W * H);
        assertThat(frame.get(W + 1) & 0xff).isEqualTo(9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "gif", "tif"})
    void aTruncatedFile_isRefusedNamingIt(String format) throws Exception {
        Path file = truncated(TestImages.grey8(dir.resolve("t." + format), W, H, 7));
        CameraException e = refusal(file);
        assertThat(e.code()).isEqualTo(CameraException.Code.DEVICE_ERROR);
        assertThat(e.getMessage()).contains("truncated or corrupt image");
    }

    @Test
    void aJpegCutShort_isNotAFrame() throws Exception {
        // ImageIO fills what is missing with grey and only warns; the decoder must treat that warning as an error.
        Path file = TestImages.grey8(dir.resolve("j.jpg"), W, H, 60);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 40));
        assertThat(refusal(file).getMessage()).contains("truncated or corrupt image");
    }

    @Test
    void aHeaderOfAHugeImage_isRefusedBeforeAnyPixelIsDecoded() throws Exception {
        Path file = TestImages.grey8(dir.resolve("h.png"), W, H, 7);
        byte[] png = Files.readAllBytes(file);
        // IHDR width at bytes 16..19: claim 60000 px (the header's CRC no longer matches: the size is all it reads)
        png[16] = 0;
        png[17] = 0;
        png[18] = (byte) 0xea;
        png[19] = 0x60;
        Files.write(file, png);
        assertThat(refusal(file).getMessage()).isEqualTo(file + ": image is 60000x48 but the camera is configured for "
                + "64x48 (cameras[].width/height)");
    }

    @Test
    void aBmpWrappingAJpegThatClaimsTwoGigabytes_isRefusedFromItsHeader() throws Exception {
        // Found by fuzzing: the JDK's reader allocated the claimed size (17 s, 2 GB) before failing.
        Path file = TestImages.grey8(dir.resolve("w.bmp"), W, H, 7);
        java.nio.ByteBuffer bmp = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bmp.putInt(30, 4); // compression: BI_JPEG
        bmp.putInt(34, 0x7700_0000); // image size: ~2 GB
        Files.write(file, bmp.array());
        assertThat(refusal(file).getMessage()).isEqualTo(file + ": a BMP that wraps a JPEG or PNG is not played; use "
                + "the JPEG or PNG file itself");
    }

    @Test
    void anEmptyFileAndNoise_areRefused() throws Exception {
        assertThat(refusal(Files.write(dir.resolve("empty.png"), new byte[0])).getMessage())
                .endsWith("no image decoder for this file");
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        refusal(Files.write(dir.resolve("noise.jpg"), noise));
    }

    @Test
    void aFileOfAnotherSize_namesBothSizes() throws Exception {
        CameraException e = refusal(TestImages.grey8(dir.resolve("s.png"), 32, 32, 0));
        assertThat(e.code()).isEqualTo(CameraException.Code.BAD_SETTING);
        assertThat(e.getMessage()).endsWith("image is 32x32 but the camera is configured for 64x48 (cameras[].width/height)");
    }

    @Test
    void aTiffClaimingHundredsOfSamplesAPixel_isRefusedFromItsHeader() throws Exception {
        // 308 bytes: a 16x16 TIFF whose header claims 288 samples of 32 bits a pixel; decoding it ran a 1.8 GB heap
        // out of memory, so it must be refused before any pixel is read
        byte[] bytes;
        try (var in = getClass().getResourceAsStream(
                "GreyDecoderFuzzTestInputs/decode/crash-48657f96ee6469773950bddbb58ed21c81f74dc7")) {
            bytes = in.readAllBytes();
        }
        Path file = Files.write(dir.resolve("many-samples.tif"), bytes);
        ByteBuffer small = ByteBuffer.allocateDirect(16 * 16);
        CameraException e = catchThrowableOfType(CameraException.class,
                () -> new GreyDecoder(PixelFormat.MONO8, 16, 16).decode(file, small));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(CameraException.Code.DEVICE_ERROR);
        assertThat(e.getMessage()).startsWith(file + ": 288 samples a pixel of up to 32 bits; a camera image has at most 4");
        assertThat(small.limit()).isZero();
    }
}
