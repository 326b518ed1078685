/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.RuleSpec;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.station.hmi.recipe.RecipeFields;
import io.linesight.station.hmi.recipe.RecipePreview;
import io.linesight.station.hmi.recipe.RoiDrag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * The rules' ROIs of a recipe, edited on the newest archived image of each rule's shot: pick a rule (or touch its
 * ROI), drag it or its corners, or type x, y, width and height. Keeps the edited ROIs until {@link #load} starts
 * over; {@link #apply} puts them into a recipe. Images are read on {@code background}; everything else on the FX
 * thread.
 */
final class RoiEditor {
    /** Longest side of the image shown; enough for a 1920-wide screen's share, small enough to load at once. */
    private static final int IMAGE_SIDE = 1024;
    private static final int LOOK_BACK = 50;

    /** A shot's frame size in pixels: the space its ROIs live in. */
    record FrameSize(int width, int height) {
    }

    private final HBox root = new HBox(12);
    private final ComboBox<String> rules = new ComboBox<>();
    private final RoiCanvas canvas = new RoiCanvas(this::select, this::dragged);
    private final Map<String, TextField> numbers = new LinkedHashMap<>();
    private final ExecutorService background;
    private final Consumer<String> status;
    private final Map<String, ShotImage> images = new HashMap<>();
    /** Edited ROIs by rule index; a rule not here keeps the recipe's. */
    private final Map<Integer, Roi> edits = new LinkedHashMap<>();
    private @Nullable Recipe recipe;
    private Map<String, FrameSize> frames = Map.of();
    private @Nullable Path archive;
    private int selected = -1;
    private boolean updating;

    RoiEditor(OnScreenKeyboard keyboard, ExecutorService background, Consumer<String> status) {
        this.background = background;
        this.status = status;
        root.getStyleClass().add("roi-editor");
        rules.getStyleClass().add("roi-rules");
        rules.setOnAction(e -> {
            if (!updating && rules.getSelectionModel().getSelectedIndex() >= 0) {
                select(rules.getSelectionModel().getSelectedIndex());
            }
        });
        VBox side = new VBox(8, new Label("Rule"), rules);
        side.getStyleClass().add("roi-side");
        for (String key : new String[] {"x", "y", "width", "height"}) {
            TextField t = new TextField();
            t.getStyleClass().add("field-input");
            keyboard.attach(t);
            t.setOnAction(e -> commitShown());
            t.focusedProperty().addListener((o, was, now) -> {
                if (!now) {
                    commitShown();
                }
            });
            numbers.put(key, t);
            side.getChildren().addAll(new Label(key), t);
        }
        HBox.setHgrow(canvas, Priority.ALWAYS);
        root.getChildren().addAll(canvas, side);
    }

    /** Starts over on {@code recipe} (edits dropped): ROIs in frames of the given sizes, images from {@code archive}. */
    void load(Recipe recipe, Map<String, FrameSize> frames, Path archive) {
        this.recipe = recipe;
        this.frames = Map.copyOf(frames);
        this.archive = archive;
        edits.clear();
        images.clear();
        updating = true;
        try {
            rules.getItems().setAll(recipe.rules().stream().map(r -> r.name() + " (" + r.shot() + ")").toList());
        } finally {
            updating = false;
        }
        int keep = selected; // after a save the engineer goes on with the same rule
        selected = -1;
        select(Math.max(0, Math.min(keep, recipe.rules().size() - 1)));
    }

    /** Selects rule {@code rule} (index in the recipe's rules): its shot's image, its ROI highlighted and its numbers. */
    void select(int rule) {
        Recipe r = recipe;
        if (r == null || rule < 0 || rule >= r.rules().size()) {
            return;
        }
        commitShown(); // numbers typed for the rule left behind
        selected = rule;
        updating = true;
        try {
            rules.getSelectionModel().select(rule);
        } finally {
            updating = false;
        }
        String shot = r.rules().get(rule).shot();
        Path dir = archive;
        if (!images.containsKey(shot) && dir != null) {
            String name = r.name();
            background.execute(() -> loadImage(dir, name, shot));
        }
        refresh();
    }

    private void loadImage(Path dir, String recipeName, String shot) {
        try {
            RecipePreview.ArchivedImage a = RecipePreview.latestImage(dir, recipeName, shot, LOOK_BACK);
            if (a != null) {
                ShotImage img = ShotImage.downscaledCopy(FrameImages.read(a.png()), shot, a.partId(), IMAGE_SIDE);
                Platform.runLater(() -> {
                    Recipe r = recipe;
                    if (r != null && r.name().equals(recipeName)) {
                        images.put(shot, img);
                        refresh();
                    }
                });
            }
        } catch (Exception e) {
            Platform.runLater(() -> status.accept("no image of shot " + shot + ": " + e.getMessage()));
        }
    }

    /** Redraws the selected rule's shot and shows its ROI's numbers. */
    private void refresh() {
        Recipe r = recipe;
        if (r == null || selected < 0) {
            return;
        }
        String shot = r.rules().get(selected).shot();
        List<RoiCanvas.Box> boxes = new ArrayList<>();
        for (int i = 0; i < r.rules().size(); i++) {
            RuleSpec spec = r.rules().get(i);
            if (spec.shot().equals(shot)) {
                boxes.add(new RoiCanvas.Box(i, spec.name(), roi(i)));
            }
        }
        ShotImage img = images.get(shot);
        FrameSize f = frame(shot, img);
        canvas.show(shot + (img == null ? "" : "  part " + img.partId()), f.width(), f.height(), img, boxes, selected);
        Roi roi = roi(selected);
        numbers.get("x").setText(Integer.toString(roi.x()));
        numbers.get("y").setText(Integer.toString(roi.y()));
        numbers.get("width").setText(Integer.toString(roi.width()));
        numbers.get("height").setText(Integer.toString(roi.height()));
    }

    /** The station's camera says the frame size; without it, the stored image; without that, the ROIs' extent. */
    private FrameSize frame(String shot, @Nullable ShotImage img) {
        FrameSize f = frames.get(shot);
        if (f != null) {
            return f;
        }
        if (img != null) {
            return new FrameSize(img.frameWidth(), img.frameHeight());
        }
        Recipe r = recipe;
        int w = RoiDrag.MIN_SIZE;
        int h = RoiDrag.MIN_SIZE;
        for (int i = 0; r != null && i < r.rules().size(); i++) {
            if (r.rules().get(i).shot().equals(shot)) {
                w = Math.max(w, roi(i).right());
                h = Math.max(h, roi(i).bottom());
            }
        }
        return new FrameSize(w, h);
    }

    private void dragged(int rule, Roi roi) {
        put(rule, roi);
        refresh();
    }

    private void put(int rule, Roi roi) {
        Recipe r = recipe;
        if (r == null) {
            return;
        }
        if (roi.equals(r.rules().get(rule).roi())) {
            edits.remove(rule);
        } else {
            edits.put(rule, roi);
        }
    }

    /** The ROI of rule {@code rule} as edited so far. */
    Roi roi(int rule) {
        Recipe r = recipe;
        if (r == null) {
            throw new IllegalStateException("no recipe loaded");
        }
        Roi e = edits.get(rule);
        return e != null ? e : r.rules().get(rule).roi();
    }

    /** Takes the numbers typed for the selected rule; a bad one is shown and changes nothing. */
    private void commitShown() {
        try {
            commitTyped();
        } catch (IllegalArgumentException e) {
            status.accept(e.getMessage());
        }
    }

    /**
     * Takes the numbers typed for the selected rule.
     *
     * @throws IllegalArgumentException naming the field ({@code rules[i].roi.x}) when one is not a whole number, or
     *                                  the ROI would not lie inside the frame or be too small; nothing changes then
     */
    void commitTyped() {
        Recipe r = recipe;
        if (r == null || selected < 0) {
            return;
        }
        String where = "rules[" + selected + "].roi";
        int[] v = new int[4];
        int i = 0;
        for (Map.Entry<String, TextField> e : numbers.entrySet()) {
            String text = e.getValue().getText().strip();
            try {
                v[i++] = Integer.parseInt(text);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(where + "." + e.getKey() + ": '" + text + "' is not a whole number",
                        ex);
            }
        }
        String shot = r.rules().get(selected).shot();
        FrameSize f = frame(shot, images.get(shot));
        Roi typed = RoiDrag.typed(where, v[0], v[1], v[2], v[3], f.width(), f.height());
        if (!typed.equals(roi(selected))) {
            put(selected, typed);
            refresh();
        }
    }

    /**
     * {@code base} with the edited ROIs (after taking the numbers typed).
     *
     * @throws IllegalArgumentException naming the field when a typed number is bad or a rule refuses its ROI
     */
    Recipe apply(Recipe base) {
        commitTyped();
        Recipe out = base;
        for (Map.Entry<Integer, Roi> e : edits.entrySet()) {
            out = RecipeFields.withRoi(out, e.getKey(), e.getValue());
        }
        return out;
    }

    /** The edited ROIs by rule index (read-only copy). */
    Map<Integer, Roi> edits() {
        return Map.copyOf(edits);
    }

    int selected() {
        return selected;
    }

    /** The numbers field {@code key} ({@code x}, {@code y}, {@code width}, {@code height}); for typing in tests. */
    TextField number(String key) {
        TextField t = numbers.get(key);
        if (t == null) {
            throw new IllegalArgumentException("no ROI field " + key);
        }
        return t;
    }

    /** Whether the selected rule's shot image has been loaded. */
    boolean imageShown() {
        Recipe r = recipe;
        return r != null && selected >= 0 && images.containsKey(r.rules().get(selected).shot());
    }

    RoiCanvas canvas() {
        return canvas;
    }

    Node view() {
        return root;
    }
}
