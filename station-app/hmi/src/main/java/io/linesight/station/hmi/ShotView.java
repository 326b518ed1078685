/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.archive.OverlayRenderer;
import io.linesight.station.archive.ShotOverlays;
import io.linesight.station.result.Inspection;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.jspecify.annotations.Nullable;

/**
 * One shot's image with the part's overlays (rule geometry green or red, model detections amber with class and
 * score, drawn by {@link OverlayRenderer}). Fits the image into its size; with {@link #enablePanZoom()} the wheel zooms
 * and a drag pans. FX thread only.
 */
public final class ShotView extends Region {
    private final Canvas canvas = new Canvas();
    private final String shot;
    private @Nullable WritableImage fxImage;
    private int[] argb = new int[0];
    private @Nullable ShotImage image;
    private @Nullable Inspection inspection;
    private @Nullable String overlaysOf;
    private double zoom = 1;
    private double panX;
    private double panY;
    private double dragX;
    private double dragY;

    public ShotView(String shot) {
        this.shot = shot;
        getStyleClass().add("shot-view");
        getChildren().add(canvas);
        setMinSize(160, 120);
    }

    /** Wheel zooms around the pointer, drag pans, double tap resets. */
    public void enablePanZoom() {
        setOnScroll(e -> {
            double f = e.getDeltaY() > 0 ? 1.25 : 0.8;
            double nz = Math.max(1, Math.min(8, zoom * f));
            panX = e.getX() - (e.getX() - panX) * nz / zoom;
            panY = e.getY() - (e.getY() - panY) * nz / zoom;
            zoom = nz;
            redraw();
        });
        setOnMousePressed(e -> {
            dragX = e.getX() - panX;
            dragY = e.getY() - panY;
            if (e.getClickCount() == 2) {
                zoom = 1;
                panX = 0;
                panY = 0;
                redraw();
            }
        });
        setOnMouseDragged(e -> {
            panX = e.getX() - dragX;
            panY = e.getY() - dragY;
            redraw();
        });
    }

    public String shot() {
        return shot;
    }

    /**
     * Shows an image and the overlays of the inspection it belongs to (either may be null). The overlays are drawn into
     * the image by {@link OverlayRenderer}, the renderer the archive's views use too, and only when the inspection is
     * of the part the image shows.
     */
    public void show(@Nullable ShotImage img, @Nullable Inspection insp) {
        if (img != null && (img != image || insp != inspection)) {
            if (fxImage == null || fxImage.getWidth() != img.width() || fxImage.getHeight() != img.height()) {
                fxImage = new WritableImage(img.width(), img.height());
                argb = new int[img.width() * img.height()];
            }
            ShotOverlays drawn = overlays(img, insp);
            overlaysOf = insp != null && insp.part().partId().equals(img.partId()) ? img.partId() : null;
            OverlayRenderer.render(img.width(), img.height(), img.grey(), drawn, img.scale(), argb);
            fxImage.getPixelWriter().setPixels(0, 0, img.width(), img.height(), PixelFormat.getIntArgbInstance(), argb, 0,
                    img.width());
        }
        image = img;
        inspection = insp;
        redraw();
    }

    private ShotOverlays overlays(ShotImage img, @Nullable Inspection insp) {
        return insp != null && insp.part().partId().equals(img.partId()) ? ShotOverlays.of(insp, shot)
                : ShotOverlays.none(shot);
    }

    /** The part whose image is shown now, or null when the view shows none. FX thread. */
    public @Nullable String imagePartId() {
        ShotImage img = image;
        return img == null ? null : img.partId();
    }

    /** The part whose overlays are drawn into the image shown now, or null when none are. FX thread. */
    public @Nullable String overlaysPartId() {
        return image == null ? null : overlaysOf;
    }

    /** The pixels of the image shown now (image with overlays), read back from it, row-major ARGB; tests. FX thread. */
    int[] shownPixels() {
        WritableImage fx = fxImage;
        if (fx == null) {
            return new int[0];
        }
        int w = (int) fx.getWidth();
        int h = (int) fx.getHeight();
        int[] out = new int[w * h];
        fx.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), out, 0, w);
        return out;
    }

    @Override
    protected void layoutChildren() {
        if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
            redraw();
        }
    }

    private void redraw() {
        GraphicsContext gc = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        gc.setFill(Color.web("#0b0d10"));
        gc.fillRect(0, 0, w, h);
        ShotImage img = image;
        if (img == null || fxImage == null) {
            gc.setFill(Color.GRAY);
            gc.setFont(Font.font(22));
            gc.setTextAlign(TextAlignment.CENTER);
            gc.setTextBaseline(VPos.CENTER);
            // squeezed into the view rather than cut off: gallery tiles are narrow
            gc.fillText("-".equals(shot) ? "no image kept\n(copied at most 30/s)" : shot + ": no image yet",
                    w / 2, h / 2, Math.max(1, w - 16));
            return;
        }
        // screen = pan + zoom * (centred fit): zooming keeps the point under the pointer where it is
        double base = Math.min(w / img.width(), h / img.height());
        double fit = base * zoom;
        double ox = panX + zoom * (w - img.width() * base) / 2;
        double oy = panY + zoom * (h - img.height() * base) / 2;
        gc.drawImage(fxImage, ox, oy, img.width() * fit, img.height() * fit);
        gc.setFill(Color.web("#cfd6df"));
        gc.setFont(Font.font(18));
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.TOP);
        gc.fillText(shot + "  part " + img.partId(), 8, 6);
    }
}
