/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bad image is one line naming the file, before any model is loaded (so no model is needed here). */
class DetectToolBadImageTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    String detect(Path image) {
        int rc = DetectTool.run(List.of("--model", "nowhere.onnx", "--image", image.toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), err);
        assertThat(rc).isEqualTo(1);
        String message = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(message.lines()).as("one line: " + message).hasSize(1);
        assertThat(message).startsWith("detect: " + image + ": ").doesNotContain("\tat ");
        return message;
    }

    Path image(String format) throws Exception {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillOval(10, 10, 50, 40);
        g.dispose();
        Path file = dir.resolve("part." + format);
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg"})
    void aTruncatedImage_isNamed(String format) throws Exception {
        Path file = image(format);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(detect(file)).contains("truncated or corrupt image");
    }

    @Test
    void aFileThatIsNoImage_isNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.png"), "not an image\n");
        assertThat(detect(file)).isEqualTo("detect: " + file + ": not an image format this JVM reads\n");
    }

    @Test
    void aMissingImage_isNamed() {
        assertThat(detect(dir.resolve("gone.jpg"))).isEqualTo("detect: " + dir.resolve("gone.jpg") + ": no such image file\n");
    }

    @Test
    void aHeaderClaimingAGiantImage_isRefusedBeforeDecoding() throws Exception {
        Path file = image("png");
        byte[] png = Files.readAllBytes(file);
        // IHDR width and height at bytes 16..23: 100000 x 100000
        byte[] huge = {0, 1, (byte) 0x86, (byte) 0xa0};
        System.arraycopy(huge, 0, png, 16, 4);
        System.arraycopy(huge, 0, png, 20, 4);
        Files.write(file, png);
        assertThat(detect(file)).contains("image is 100000x100000 pixels");
    }

    @Test
    void aBmpWrappingAJpegThatClaimsTwoGigabytes_isRefusedFromItsHeader() throws Exception {
        java.nio.ByteBuffer bmp = java.nio.ByteBuffer.wrap(Files.readAllBytes(image("bmp"))).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bmp.putInt(30, 4); // compression: BI_JPEG
        bmp.putInt(34, 0x7700_0000); // image size: ~2 GB
        Path file = Files.write(dir.resolve("part.bmp"), bmp.array());
        assertThat(detect(file)).isEqualTo("detect: " + file + ": a BMP that wraps a JPEG or PNG is not read; use the JPEG "
                + "or PNG itself\n");
    }
}
