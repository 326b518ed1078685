/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import io.linesight.config.PixelFormat;
import io.linesight.station.result.Inspection;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** What tests in other packages need of the archive's insides. */
public final class ArchiveTesting {
    private ArchiveTesting() {
    }

    public static ImageArchive.Counts noCounts() {
        return new ImageArchive.Counts(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Random bytes: an image no encoder can shrink. */
    public static byte[] noise(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Queues one shot of copied pixels, as {@link ImageArchive#copyAndQueue} does with a frame. */
    public static String enqueue(ImageArchive archive, Inspection i, String shot, int w, int h, PixelFormat f,
                                 byte[] pixels) {
        return archive.enqueue(i, List.of(new ImageArchive.Shot(shot, "cam0", w, h, f, pixels.clone())));
    }

    /** The folder of a part relative to the archive root. */
    public static String folderOf(Path root, Inspection i) {
        return root.relativize(ImageArchive.folder(root, i)).toString();
    }

    /** An 8-bit PNG's pixels. */
    public static byte[] mono8(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null || img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IOException(png + ": not an 8-bit grey PNG");
        }
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }
}
