/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.config.PixelFormat;
import io.linesight.station.result.AnomalyJson;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.ResultJson;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * An archived part's JSON side-car ({@code <stem>.json}): the verdict and what led to it (reasons, measurements,
 * detections, ground truth, anomaly findings), and per shot its image file (the frame as the camera delivered it,
 * lossless PNG) with the rule overlays as vectors ({@code images[].overlays}, frame pixels; detections are the
 * top-level {@code detections}).
 *
 * <p>{@code anomalies}, present when the recipe has anomaly models: per shot {@code shot}, {@code score},
 * {@code threshold}, {@code anomalous}, {@code region} (the most anomalous box), {@code area} (the frame region the
 * model looked at: its ROI or the whole frame), all in frame pixels, and the map over that area, {@code gridWidth} x
 * {@code gridHeight} patch scores row-major in {@code map}. The HMI and {@code station archive --overlays} draw it as
 * a heat map from here, so an archived reject looks as it did on the line; a side-car without it (older, or no
 * anomaly model) simply has no heat map. Scores are rounded to four decimals.
 *
 * <p>{@code "format": 2}. Side-cars of format 1 (no {@code format} field) came with a drawn {@code _overlay.png} per
 * shot and no vectors: they stay readable everywhere (images, verdicts, detections for export-dataset); their shots
 * simply have no rule overlays to draw.
 */
final class SideCar {
    static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One shot's image as the side-car lists it. */
    record Image(String shot, String camera, String file, int width, int height, PixelFormat format) {
    }

    private SideCar() {
    }

    static byte[] encode(Inspection i, List<Image> images) {
        ObjectNode side = JSON.createObjectNode();
        side.put("format", FORMAT);
        side.put("partId", i.part().partId());
        side.put("seq", i.seq());
        side.put("result", i.verdict().passed() ? "PASS" : "REJECT");
        side.put("recipe", i.recipe());
        side.put("model", i.model());
        side.put("triggeredAt", i.part().triggeredAt().toString());
        side.put("decidedAt", i.decidedAt().toString());
        side.put("latencyMs", i.latencyMs());
        try {
            side.set("reasons", JSON.readTree(ResultJson.reasons(i.verdict().reasons())));
            side.set("measurements", JSON.readTree(ResultJson.measurements(i.rules())));
            side.set("detections", ResultJson.detectionsNode(i.detections()));
            side.set("truth", JSON.readTree(ResultJson.truth(i.truth())));
            if (!i.anomalies().isEmpty()) {
                side.set("anomalies", AnomalyJson.write(i.anomalies()));
            }
            ArrayNode list = side.putArray("images");
            for (Image img : images) {
                list.addObject().put("shot", img.shot()).put("camera", img.camera()).put("file", img.file())
                        .put("width", img.width()).put("height", img.height())
                        .put("pixelFormat", img.format().name()).put("encoding", "png")
                        .set("overlays", ResultJson.overlays(ShotOverlays.of(i, img.shot()).rules()));
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(side);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("side-car not encodable: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an archived shot image as 8-bit grey. {@code format} is the side-car's {@code pixelFormat} (null for a
     * side-car that has none: 16-bit images are then taken as full 16-bit).
     *
     * @throws IOException naming the file when it is missing or not an image
     */
    static GreyImage readGrey(Path png, PixelFormat format) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(png.toFile());
        } catch (IOException e) {
            throw new IOException(png + ": not a readable image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(png + ": not an image ImageIO can read");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            System.arraycopy(((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, out, 0, out.length);
        } else if (img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
            int shift = (format.bytesPerPixel() == 2 ? format.bitDepth() : 16) - 8;
            for (int k = 0; k < out.length; k++) {
                out[k] = (byte) ((px[k] & 0xffff) >>> shift);
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (img.getRGB(x, y) >> 8); // colour: green, near enough to luminance
                }
            }
        }
        return new GreyImage(w, h, out);
    }

    /** The pixel format an image entry names, MONO16 for 16-bit images of side-cars that name none. */
    static PixelFormat format(JsonNode image) {
        try {
            return PixelFormat.valueOf(image.path("pixelFormat").asText("MONO16"));
        } catch (IllegalArgumentException e) {
            return PixelFormat.MONO16;
        }
    }
}
