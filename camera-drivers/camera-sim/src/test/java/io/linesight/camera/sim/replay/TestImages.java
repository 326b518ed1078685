/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small test images with ImageIO, so replay tests read real files in every format. */
final class TestImages {
    private TestImages() {
    }

    /** An 8-bit grey image whose pixel (x, y) is {@code (base + x + y) & 0xff}. */
    static Path grey8(Path file, int w, int h, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (base + x + y) & 0xff);
            }
        }
        return write(img, file);
    }

    /** A 16-bit grey image whose pixel (x, y) is {@code (base + 257 x + 3 y) & 0xffff}. */
    static Path grey16(Path file, int w, int h, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        short[] data = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                data[y * w + x] = (short) grey16Value(base, x, y);
            }
        }
        return write(img, file);
    }

    static int grey16Value(int base, int x, int y) {
        return (base + 257 * x + 3 * y) & 0xffff;
    }

    /** A colour image of one RGB value. */
    static Path rgb(Path file, int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return write(img, file);
    }

    private static Path write(BufferedImage img, Path file) {
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1);
        try {
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
