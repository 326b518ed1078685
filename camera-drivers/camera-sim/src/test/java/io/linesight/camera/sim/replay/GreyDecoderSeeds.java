/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Writes the seed corpus of {@link GreyDecoderFuzzTest}: a 16x16 image in each layout the decoder handles (grey
 * 1/8/16-bit, colour, palette), in each format ImageIO writes, and a truncated copy of each.
 * Run from the module folder: {@code java -cp target/test-classes:target/classes ... GreyDecoderSeeds}.
 */
final class GreyDecoderSeeds {
    private GreyDecoderSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0]
                : "src/test/resources/io/linesight/camera/sim/replay/GreyDecoderFuzzTestInputs/decode");
        Files.createDirectories(out);
        BufferedImage[] images = {image(BufferedImage.TYPE_BYTE_GRAY), image(BufferedImage.TYPE_USHORT_GRAY),
            image(BufferedImage.TYPE_INT_RGB), image(BufferedImage.TYPE_BYTE_BINARY), palette()};
        String[] names = {"grey8", "grey16", "rgb", "grey1", "palette"};
        for (String format : new String[] {"png", "jpg", "bmp", "gif", "tif", "wbmp"}) {
            for (int i = 0; i < images.length; i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try {
                    if (!ImageIO.write(images[i], format, bytes) || bytes.size() == 0) {
                        continue; // no writer takes this layout in this format
                    }
                } catch (IllegalArgumentException e) {
                    continue; // the writer refuses this layout (WBMP is bilevel only)
                }
                byte[] b = bytes.toByteArray();
                Files.write(out.resolve(names[i] + "." + format), b);
                Files.write(out.resolve(names[i] + "-truncated." + format), Arrays.copyOf(b, b.length * 2 / 3));
            }
        }
    }

    private static BufferedImage image(int type) {
        BufferedImage img = new BufferedImage(GreyDecoderFuzzTest.SIDE, GreyDecoderFuzzTest.SIDE, type);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, (x * 16) << 16 | (y * 16) << 8 | (x + y) * 8);
            }
        }
        return img;
    }

    private static BufferedImage palette() {
        byte[] ramp = new byte[16];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (i * 17);
        }
        IndexColorModel cm = new IndexColorModel(4, 16, ramp, ramp, ramp);
        BufferedImage img = new BufferedImage(GreyDecoderFuzzTest.SIDE, GreyDecoderFuzzTest.SIDE,
                BufferedImage.TYPE_BYTE_BINARY, cm);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.getRaster().setSample(x, y, 0, (x + y) & 15);
            }
        }
        return img;
    }
}
