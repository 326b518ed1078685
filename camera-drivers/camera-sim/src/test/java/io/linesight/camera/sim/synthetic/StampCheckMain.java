/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Checks that saved frames of the synthetic camera belong to the parts their file names say; not a test (no
 * assertions), run by hand as the README says. Reads every 8-bit grey PNG under a folder whose name does not contain
 * {@code overlay}, takes the part id from the file name up to the first {@code _} (as the station's image archive
 * names them), reads the frame's {@link PartStamp} and counts frames whose stamp is that part's id, another id, or
 * unreadable. Prints the files of the last two kinds.
 */
final class StampCheckMain {
    private StampCheckMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StampCheckMain FOLDER");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".png"))
                    .filter(p -> !p.getFileName().toString().contains("overlay")).sorted().toList();
        }
        int same = 0;
        int other = 0;
        int unreadable = 0;
        for (Path p : files) {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null || img.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                System.out.println("not an 8-bit grey image: " + p);
                unreadable++;
                continue;
            }
            byte[] px = new byte[img.getWidth() * img.getHeight()];
            img.getRaster().getDataElements(0, 0, img.getWidth(), img.getHeight(), px);
            String name = p.getFileName().toString();
            String partId = name.substring(0, Math.max(0, name.indexOf('_')));
            Optional<Long> id = PartStamp.read(px, img.getWidth(), img.getHeight());
            if (id.isEmpty()) {
                System.out.println("no readable stamp: " + p);
                unreadable++;
            } else if (id.get() == PartStamp.idOf(partId)) {
                same++;
            } else {
                System.out.println("stamp of another part: " + p);
                other++;
            }
        }
        System.out.printf("%d frames: %d of the part their name says, %d of another part, %d without a readable stamp%n",
                files.size(), same, other, unreadable);
    }
}
