/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.inspect.Inspection;
import java.util.List;
import java.util.Locale;
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
 * One shot's image with the part's overlays: rule geometry green (pass) or red (fail), model detections amber with
 * class and score. Fits the image into its size; with {@link #enablePanZoom()} the wheel zooms and a drag pans.
 * FX thread only.
 */
public final class ShotView extends Region {
    static final Color PASS = Color.web("#2ecc71");
    static final Color FAIL = Color.web("#ff4d4d");
    static final Color DETECTION = Color.web("#ffb000");

    private final Canvas canvas = new Canvas();
    private final String shot;
    private @Nullable WritableImage fxImage;
    private int[] argb = new int[0];
    private @Nullable ShotImage image;
    private @Nullable Inspection inspection;
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

    /** Shows an image and the overlays of the inspection it belongs to (either may be null). */
    public void show(@Nullable ShotImage img, @Nullable Inspection insp) {
        if (img != null && img != image) {
            if (fxImage == null || fxImage.getWidth() != img.width() || fxImage.getHeight() != img.height()) {
                fxImage = new WritableImage(img.width(), img.height());
                argb = new int[img.width() * img.height()];
            }
            byte[] g = img.grey();
            for (int i = 0; i < argb.length; i++) {
                int v = g[i] & 0xff;
                argb[i] = 0xff000000 | v << 16 | v << 8 | v;
            }
            fxImage.getPixelWriter().setPixels(0, 0, img.width(), img.height(), PixelFormat.getIntArgbInstance(), argb, 0,
                    img.width());
        }
        image = img;
        inspection = insp;
        redraw();
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
        Inspection insp = inspection;
        if (insp != null && insp.part().partId().equals(img.partId())) {
            double s = fit * img.scale(); // screen pixels per frame pixel
            drawOverlays(gc, insp.rules(), ox, oy, s);
            drawDetections(gc, insp.detections(), ox, oy, s);
        }
        gc.setFill(Color.web("#cfd6df"));
        gc.setFont(Font.font(18));
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.TOP);
        gc.fillText(shot + "  part " + img.partId(), 8, 6);
    }

    private void drawOverlays(GraphicsContext gc, List<RuleResult> rules, double ox, double oy, double s) {
        gc.setLineWidth(2);
        gc.setFont(Font.font(16));
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.BOTTOM);
        for (RuleResult r : rules) {
            if (!r.shot().equals(shot)) {
                continue;
            }
            for (Overlay o : r.overlays()) {
                Color c = o.pass() ? PASS : FAIL;
                gc.setStroke(c);
                gc.setFill(c);
                switch (o) {
                    case Overlay.Box b -> {
                        gc.strokeRect(ox + b.x() * s, oy + b.y() * s, b.width() * s, b.height() * s);
                        label(gc, o.label(), ox + b.x() * s, oy + b.y() * s);
                    }
                    case Overlay.Circle ci -> {
                        gc.strokeOval(ox + (ci.cx() - ci.radius()) * s, oy + (ci.cy() - ci.radius()) * s,
                                2 * ci.radius() * s, 2 * ci.radius() * s);
                        label(gc, o.label(), ox + (ci.cx() - ci.radius()) * s, oy + (ci.cy() - ci.radius()) * s);
                    }
                    case Overlay.Line l -> {
                        gc.strokeLine(ox + l.x1() * s, oy + l.y1() * s, ox + l.x2() * s, oy + l.y2() * s);
                        label(gc, o.label(), ox + l.x1() * s, oy + l.y1() * s);
                    }
                    case Overlay.Polygon p -> {
                        int n = p.points().size() / 2;
                        double[] xs = new double[n];
                        double[] ys = new double[n];
                        for (int i = 0; i < n; i++) {
                            xs[i] = ox + p.points().get(2 * i) * s;
                            ys[i] = oy + p.points().get(2 * i + 1) * s;
                        }
                        gc.strokePolygon(xs, ys, n);
                        if (n > 0) {
                            label(gc, o.label(), xs[0], ys[0]);
                        }
                    }
                }
            }
        }
    }

    private void drawDetections(GraphicsContext gc, List<ShotDetections> all, double ox, double oy, double s) {
        gc.setStroke(DETECTION);
        gc.setFill(DETECTION);
        gc.setLineWidth(2);
        for (ShotDetections sd : all) {
            if (!sd.shot().equals(shot)) {
                continue;
            }
            for (Detection d : sd.detections()) {
                gc.strokeRect(ox + d.x1() * s, oy + d.y1() * s, d.width() * s, d.height() * s);
                label(gc, String.format(Locale.ROOT, "%s %.2f", d.className(), d.score()), ox + d.x1() * s, oy + d.y1() * s);
            }
        }
    }

    private static void label(GraphicsContext gc, String text, double x, double y) {
        if (!text.isEmpty()) {
            gc.fillText(text, x, y - 2);
        }
    }
}
