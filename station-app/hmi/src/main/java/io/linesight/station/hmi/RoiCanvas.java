/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.config.recipe.Roi;
import io.linesight.station.hmi.recipe.RoiDrag;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.jspecify.annotations.Nullable;

/**
 * One shot's stored image with the ROIs of the rules on that shot; the selected one is highlighted with corner
 * handles. A drag inside the selected ROI moves it, a drag on a handle resizes it ({@link RoiDrag}); a touch on
 * another rule's ROI selects that rule. Results go to the listeners; this node keeps no recipe. FX thread only.
 */
final class RoiCanvas extends Region {
    private static final Color SELECTED = Color.web("#ffb000");
    private static final Color OTHER = Color.web("#5fa8ff");
    /** Drawn size of a handle; its hit area is {@link RoiDrag#HANDLE_PX}. */
    private static final double HANDLE_DRAWN = 18;

    /** A rule's ROI as shown. */
    record Box(int rule, String name, Roi roi) {
    }

    private final Canvas canvas = new Canvas();
    private final IntConsumer onSelect;
    private final BiConsumer<Integer, Roi> onRoi;
    private @Nullable ShotImage image;
    private @Nullable WritableImage fxImage;
    private String caption = "";
    private int frameWidth = 1;
    private int frameHeight = 1;
    private List<Box> boxes = List.of();
    private int selected = -1;
    // the drag in progress: what is held, the ROI when it began, and where (frame pixels)
    private RoiDrag.@Nullable Grab grab;
    private @Nullable Roi grabbed;
    private double pressX;
    private double pressY;

    /**
     * @param onSelect called with a rule index when a touch lands on a rule's ROI other than the selected one
     * @param onRoi    called with the rule index and its new ROI on every step of a drag
     */
    RoiCanvas(IntConsumer onSelect, BiConsumer<Integer, Roi> onRoi) {
        this.onSelect = onSelect;
        this.onRoi = onRoi;
        getStyleClass().add("roi-canvas");
        getChildren().add(canvas);
        setMinSize(200, 160);
        setOnMousePressed(e -> press(e.getX(), e.getY()));
        setOnMouseDragged(e -> drag(e.getX(), e.getY()));
        setOnMouseReleased(e -> release());
    }

    /** Shows a shot: its frame size (the ROIs' coordinate space), its stored image if any, and the ROIs on it. */
    void show(String caption, int frameWidth, int frameHeight, @Nullable ShotImage image, List<Box> boxes, int selected) {
        if (image != this.image) {
            fxImage = image == null ? null : image.toFxImage();
        }
        this.caption = caption;
        this.frameWidth = Math.max(1, frameWidth);
        this.frameHeight = Math.max(1, frameHeight);
        this.image = image;
        this.boxes = List.copyOf(boxes);
        this.selected = selected;
        redraw();
    }

    /** Screen pixels per frame pixel: the frame fitted into this node, centred. */
    private double scale() {
        return Math.min(canvas.getWidth() / frameWidth, canvas.getHeight() / frameHeight);
    }

    private double originX() {
        return (canvas.getWidth() - frameWidth * scale()) / 2;
    }

    private double originY() {
        return (canvas.getHeight() - frameHeight * scale()) / 2;
    }

    /** Where a frame point is in this node's coordinates; for tests that touch a ROI. */
    Point2D toLocal(double frameX, double frameY) {
        return new Point2D(originX() + frameX * scale(), originY() + frameY * scale());
    }

    void press(double x, double y) {
        double s = scale();
        if (s <= 0) {
            return;
        }
        double fx = (x - originX()) / s;
        double fy = (y - originY()) / s;
        Box sel = box(selected);
        RoiDrag.Grab g = sel == null ? null : RoiDrag.hit(sel.roi(), fx, fy, s);
        if (g == null) {
            for (Box b : boxes) {
                if (b.rule() != selected && RoiDrag.hit(b.roi(), fx, fy, s) == RoiDrag.Grab.MOVE) {
                    // a touch on another ROI selects its rule and may go on to move it
                    onSelect.accept(b.rule());
                    sel = box(b.rule());
                    g = RoiDrag.Grab.MOVE;
                    break;
                }
            }
        }
        grab = g;
        grabbed = g == null || sel == null ? null : sel.roi();
        pressX = fx;
        pressY = fy;
    }

    void drag(double x, double y) {
        Roi start = grabbed;
        RoiDrag.Grab g = grab;
        double s = scale();
        if (start == null || g == null || s <= 0) {
            return;
        }
        Roi roi = RoiDrag.drag(start, g, (x - originX()) / s - pressX, (y - originY()) / s - pressY, frameWidth,
                frameHeight);
        onRoi.accept(selected, roi);
    }

    void release() {
        grab = null;
        grabbed = null;
    }

    private @Nullable Box box(int rule) {
        return boxes.stream().filter(b -> b.rule() == rule).findFirst().orElse(null);
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
        double s = scale();
        double ox = originX();
        double oy = originY();
        gc.setFill(Color.web("#1a1f26"));
        gc.fillRect(ox, oy, frameWidth * s, frameHeight * s);
        WritableImage fx = fxImage;
        if (fx != null) {
            gc.drawImage(fx, ox, oy, frameWidth * s, frameHeight * s);
        }
        gc.setFont(Font.font(16));
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setTextBaseline(VPos.BOTTOM);
        Box sel = null;
        for (Box b : boxes) {
            if (b.rule() == selected) {
                sel = b;
            } else {
                drawBox(gc, b, OTHER, 1.5, ox, oy, s);
            }
        }
        if (sel != null) { // on top of the others
            drawBox(gc, sel, SELECTED, 3, ox, oy, s);
            Roi r = sel.roi();
            gc.setFill(SELECTED);
            for (double[] c : new double[][] {{r.x(), r.y()}, {r.right(), r.y()}, {r.x(), r.bottom()},
                    {r.right(), r.bottom()}}) {
                gc.fillRect(ox + c[0] * s - HANDLE_DRAWN / 2, oy + c[1] * s - HANDLE_DRAWN / 2, HANDLE_DRAWN, HANDLE_DRAWN);
            }
        }
        gc.setFill(Color.web("#cfd6df"));
        gc.setFont(Font.font(18));
        gc.setTextBaseline(VPos.TOP);
        gc.fillText(fx == null ? caption + ": no archived image yet (ROIs on an empty frame)" : caption, 8, 6);
    }

    private static void drawBox(GraphicsContext gc, Box b, Color c, double width, double ox, double oy, double s) {
        Roi r = b.roi();
        gc.setStroke(c);
        gc.setFill(c);
        gc.setLineWidth(width);
        gc.strokeRect(ox + r.x() * s, oy + r.y() * s, r.width() * s, r.height() * s);
        gc.fillText(b.name(), ox + r.x() * s, oy + r.y() * s - 2);
    }
}
