/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.config.recipe.Roi;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * One shot of the station's own archive as images for an anomaly model: the PASS (or REJECT) parts of a time window
 * as 8-bit grey PNGs cut to the ROI the recipe's {@code anomaly:} section uses, so a model learns from, and is
 * evaluated on, exactly what it scores on the line (16-bit frames keep their top 8 significant bits there too).
 */
public final class ShotImages {
    private ShotImages() {
    }

    /** What was taken: images written, parts seen, images missing from the archive (retention or quota). */
    public record Summary(int images, int parts, int missing) {
    }

    /**
     * Writes {@code <part file stem>.png} per image of {@code shot} of the chosen parts into {@code to} (created; must
     * be empty).
     *
     * @param roi the region to cut, in frame pixels, or null for the whole frame
     * @throws IOException naming the archive, side-car or image that cannot be read, or an ROI outside an image
     */
    public static Summary export(Path archiveRoot, Instant since, Instant until, DatasetExport.Results results,
                                 @Nullable String recipe, String shot, @Nullable Roi roi, Path to) throws IOException {
        if (!Files.isDirectory(archiveRoot)) {
            throw new IOException("no image archive at " + archiveRoot);
        }
        Files.createDirectories(to);
        try (var s = Files.list(to)) {
            if (s.findAny().isPresent()) {
                throw new IOException(to + " is not empty");
            }
        }
        List<DatasetExport.Part> parts = DatasetExport.select(new DatasetExport.Request(archiveRoot, since, until, to,
                DatasetExport.LabelSource.TRUTH, results, recipe, shot, 1, List.of()));
        int images = 0;
        int missing = 0;
        for (DatasetExport.Part p : parts) {
            for (JsonNode img : p.images()) {
                Path src = p.folder().resolve(img.path("file").asText());
                if (!Files.isRegularFile(src)) {
                    missing++;
                    continue;
                }
                GreyImage g = SideCar.readGrey(src, SideCar.format(img));
                String name = src.getFileName().toString();
                ImageIO.write(cut(g, roi, src), "png", to.resolve(name.endsWith(".png") ? name : name + ".png").toFile());
                images++;
            }
        }
        return new Summary(images, parts.size(), missing);
    }

    /** When the chosen parts of the window were triggered, oldest first (to split a window by parts, not by time). */
    public static List<Instant> times(Path archiveRoot, Instant since, Instant until, DatasetExport.Results results,
                                      @Nullable String recipe, String shot) throws IOException {
        if (!Files.isDirectory(archiveRoot)) {
            throw new IOException("no image archive at " + archiveRoot);
        }
        return DatasetExport.select(new DatasetExport.Request(archiveRoot, since, until, archiveRoot,
                DatasetExport.LabelSource.TRUTH, results, recipe, shot, 1, List.of())).stream()
                .map(DatasetExport.Part::triggeredAt).toList();
    }

    private static BufferedImage cut(GreyImage g, @Nullable Roi roi, Path src) throws IOException {
        int x0 = roi == null ? 0 : roi.x();
        int y0 = roi == null ? 0 : roi.y();
        int w = roi == null ? g.width() : roi.width();
        int h = roi == null ? g.height() : roi.height();
        if (x0 + w > g.width() || y0 + h > g.height()) {
            throw new IOException(src + ": the roi " + x0 + "," + y0 + " " + w + "x" + h + " does not fit its "
                    + g.width() + "x" + g.height() + " image");
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            System.arraycopy(g.pixels(), (y0 + y) * g.width() + x0, px, y * w, w);
        }
        return out;
    }
}
