/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One part as the archive keeps it, read back from its side-car: its shot images and the overlays to draw on them.
 * For the views that draw overlays when someone looks ({@code station archive --overlays}, tests); reads files, so not
 * on the FX thread or the inspection path.
 */
public final class ArchivedPart {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path sideCar;
    private final JsonNode side;

    private ArchivedPart(Path sideCar, JsonNode side) {
        this.sideCar = sideCar;
        this.side = side;
    }

    /** @throws IOException naming the side-car when it cannot be read or is not JSON */
    public static ArchivedPart read(Path sideCar) throws IOException {
        try {
            return new ArchivedPart(sideCar, JSON.readTree(sideCar.toFile()));
        } catch (IOException e) {
            throw new IOException(sideCar + ": not a readable side-car (" + e.getMessage() + ")", e);
        }
    }

    public String partId() {
        return side.path("partId").asText();
    }

    public long seq() {
        return side.path("seq").asLong();
    }

    /** 2 for side-cars with overlay vectors, 1 for older ones (overlays were drawn into {@code _overlay.png}). */
    public int format() {
        return side.path("format").asInt(1);
    }

    /** The shots with an image, in the side-car's order. */
    public List<String> shots() {
        List<String> out = new ArrayList<>();
        side.path("images").forEach(img -> out.add(img.path("shot").asText()));
        return out;
    }

    /** The shot's image file (the frame as the camera delivered it). */
    public Path image(String shot) throws IOException {
        return sideCar.resolveSibling(entry(shot).path("file").asText());
    }

    /** The vectors to draw over the shot. */
    public ShotOverlays overlays(String shot) throws IOException {
        return ShotOverlays.fromSideCar(side, shot);
    }

    /** The shot's image as 8-bit grey, as the HMI shows a live frame. */
    public GreyImage grey(String shot) throws IOException {
        return SideCar.readGrey(image(shot), SideCar.format(entry(shot)));
    }

    /** The shot with its overlays drawn by {@link OverlayRenderer}, full size. */
    public BufferedImage drawn(String shot) throws IOException {
        GreyImage g = grey(shot);
        return OverlayRenderer.image(g.width(), g.height(), g.pixels(), overlays(shot), 1.0);
    }

    private JsonNode entry(String shot) throws IOException {
        for (JsonNode img : side.path("images")) {
            if (shot.equals(img.path("shot").asText())) {
                return img;
            }
        }
        throw new IOException(sideCar + ": no image of shot '" + shot + "'");
    }
}
