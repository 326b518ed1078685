/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.Shot;
import io.linesight.station.control.CommandException;
import io.linesight.station.auth.AuditException;
import io.linesight.station.auth.Session;
import io.linesight.station.hmi.recipe.LearnGood;
import io.linesight.station.hmi.recipe.RecipeDiff;
import io.linesight.station.hmi.recipe.RecipeFields;
import io.linesight.station.hmi.recipe.RecipePreview;
import io.linesight.station.hmi.recipe.RecipeVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * Engineer's recipe screen: the recipes in the store, change-over (refused while parts are in flight unless forced,
 * with the station's reason), the editable thresholds of the running recipe and its rules' ROIs dragged on the newest
 * archived image ({@link RoiEditor}), with a re-inspection preview over the
 * last {@link #PREVIEW_PARTS} archived parts, save as the next version, and a comparison with the previous version.
 * File and OpenCV work runs on {@code background}; the FX thread only shows results.
 */
public final class RecipesScreen {
    static final int PREVIEW_PARTS = 50;
    private final BorderPane root = new BorderPane();
    private final VBox list = new VBox();
    private final GridPane fields = new GridPane();
    private final Label status = new Label();
    private final TextArea diff = new TextArea();
    private final CheckBox force = new CheckBox("force (parts in flight finish with their recipe)");
    private final OnScreenKeyboard keyboard = new OnScreenKeyboard();
    private final Map<String, TextField> inputs = new LinkedHashMap<>();
    private final RoiEditor rois;
    private final ToggleButton thresholdsTab = new ToggleButton("Thresholds");
    private final ToggleButton roisTab = new ToggleButton("ROIs");
    private final Label editing = new Label();
    private final ScrollPane scroll = new ScrollPane(fields);
    static final String REMOTE_EDIT = "Editing thresholds and ROIs needs the recipe files: edit on the station's own HMI "
            + "(./station run or demo); here you can change over";
    private final StationView view;
    /** The station in this process, or null for a remote HMI (change-over only). */
    private final StationView.@Nullable Local station;
    private final Session session;
    private final @Nullable RecipeVersions versions;
    private final ExecutorService background;
    private @Nullable String selected;

    public RecipesScreen(StationView view, Session session, ExecutorService background) {
        this.view = view;
        this.station = view.local();
        this.session = session;
        this.background = background;
        this.versions = station == null ? null : new RecipeVersions(station.recipeDir(), session.audit());
        this.rois = new RoiEditor(keyboard, background, this::show);
        root.getStyleClass().add("recipes");
        list.getStyleClass().add("recipe-list");
        fields.getStyleClass().add("recipe-fields");
        status.getStyleClass().add("recipe-status");
        status.setWrapText(true);
        diff.setEditable(false);
        diff.getStyleClass().add("recipe-diff");
        diff.setPrefRowCount(3);
        Button changeOver = button("Change over", () -> changeOver(selected, force.isSelected()));
        Button preview = button("Preview", this::preview);
        Button save = button("Save version", this::save);
        Button compare = button("Compare", this::compare);
        Button learnGood = button("Learn good", this::learnGood);
        boolean remote = station == null;
        learnGood.setDisable(remote);
        preview.setDisable(remote);
        save.setDisable(remote);
        compare.setDisable(remote);
        roisTab.setDisable(remote);
        ToggleGroup tabs = new ToggleGroup();
        for (ToggleButton tab : new ToggleButton[] {thresholdsTab, roisTab}) {
            tab.getStyleClass().add("big-button");
            tab.setToggleGroup(tabs);
            tab.setOnAction(e -> showRois(tab == roisTab));
        }
        force.setWrapText(true);
        VBox left = new VBox(new Label("Recipes"), list, changeOver, force);
        left.getStyleClass().add("recipe-left");
        scroll.setFitToWidth(true);
        StackPane editor = new StackPane(scroll, rois.view());
        VBox.setVgrow(editor, Priority.ALWAYS);
        editing.getStyleClass().add("recipe-editing");
        VBox centre = new VBox(new HBox(12, thresholdsTab, roisTab, editing), editor,
                new HBox(12, preview, save, compare, learnGood), status, diff, keyboard.view());
        centre.getStyleClass().add("recipe-centre");
        root.setLeft(left);
        root.setCenter(centre);
        showRois(false);
    }

    /** Shows the ROIs on the image ({@code true}) or the threshold numbers; edits in either are kept. */
    void showRois(boolean on) {
        boolean shown = on && station != null;
        rois.view().setVisible(shown);
        scroll.setVisible(!shown);
        thresholdsTab.setSelected(!shown);
        roisTab.setSelected(shown);
        editing.setText(shown ? "drag a ROI or its corners; or type its numbers" : "tap a value to type");
    }

    private static Button button(String text, Runnable action) {
        Button b = new Button(text);
        b.getStyleClass().add("big-button");
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Re-reads the store and the running recipe's thresholds; on showing the screen. */
    public void reload() {
        list.getChildren().clear();
        if (versions == null || station == null) {
            reloadRemote();
            return;
        }
        try {
            for (RecipeVersions.Entry e : versions.current()) {
                Button b = new Button(e.error() != null ? e.name() + ": " + e.error()
                        : e.label() + "  " + (e.productCode() == null ? "" : e.productCode()));
                b.getStyleClass().add("recipe-item");
                b.setOnAction(ev -> {
                    selected = e.name();
                    status.setText("selected " + e.label());
                });
                list.getChildren().add(b);
            }
        } catch (java.io.IOException e) {
            status.setText("recipe store unreadable: " + e.getMessage());
        }
        fields.getChildren().clear();
        inputs.clear();
        int row = 0;
        for (RecipeFields.Field f : RecipeFields.of(station.recipe())) {
            TextField t = new TextField(f.value());
            t.getStyleClass().add("field-input");
            keyboard.attach(t);
            inputs.put(f.owner() + "." + f.key(), t);
            fields.add(new Label(f.owner()), 0, row);
            fields.add(new Label(f.key()), 1, row);
            fields.add(t, 2, row++);
        }
        Recipe running = station.recipe();
        Map<String, RoiEditor.FrameSize> frames = new HashMap<>();
        for (Shot shot : running.shots()) {
            station.config().cameras().stream().filter(c -> c.id().equals(shot.camera())).findFirst()
                    .ifPresent(c -> frames.put(shot.name(), new RoiEditor.FrameSize(c.width(), c.height())));
        }
        rois.load(running, frames, station.dataDir().resolve("archive"));
    }

    private void reloadRemote() {
        for (String name : view.recipeNames()) {
            Button b = new Button(name);
            b.getStyleClass().add("recipe-item");
            b.setOnAction(ev -> {
                selected = name;
                status.setText("selected " + name);
            });
            list.getChildren().add(b);
        }
        fields.getChildren().clear();
        inputs.clear();
        fields.add(new Label("running " + view.recipeLabel()), 0, 0);
        show(REMOTE_EDIT);
    }

    /**
     * Changes over to {@code name} between parts; returns (and shows) what happened. A remote change-over waits for
     * the station's reply on the background thread (loading a model takes seconds) and shows it when it comes.
     */
    public String changeOver(@Nullable String name, boolean forced) {
        if (name == null) {
            return show("select a recipe first");
        }
        if (station == null) {
            return changeOverRemote(name, forced);
        }
        String before = station.recipe().label();
        String action = forced ? "recipe-change-forced" : "recipe-change";
        try {
            // audited before it happens; a refused change-over gets a second record saying so
            session.audit().record(session.who(), action, name, before, name);
            String after = station.changeRecipe(name, forced);
            reload();
            return show("running " + after + " (was " + before + ")");
        } catch (AuditException e) {
            return show("change-over not done: " + e.getMessage());
        } catch (CommandException e) {
            try {
                session.audit().record(session.who(), action + "-refused", name, before, e.getMessage());
            } catch (AuditException ignored) {
                // the refusal is shown; the first record already says it was attempted
            }
            return show("change-over refused: " + e.getMessage());
        }
    }

    private String changeOverRemote(String name, boolean forced) {
        String before = view.recipeLabel();
        String action = forced ? "recipe-change-forced" : "recipe-change";
        try {
            session.audit().record(session.who(), action, name, before, name);
        } catch (AuditException e) {
            return show("change-over not done: " + e.getMessage());
        }
        String who = session.who();
        CompletableFuture.runAsync(() -> {
            String text;
            try {
                text = "running " + view.changeRecipe(name, forced) + " (was " + before + ")";
            } catch (CommandException e) {
                text = "change-over refused: " + e.getMessage();
                try {
                    session.audit().record(who, action + "-refused", name, before, e.getMessage());
                } catch (AuditException ignored) {
                    // shown below; the first record says it was attempted
                }
            }
            String shown = text;
            Platform.runLater(() -> show(shown));
        }, background);
        return show("changing over to " + name + " …");
    }

    /** The running recipe with the values typed in and the ROIs as dragged; a bad value is an error naming the field. */
    public Recipe edited() {
        if (station == null) {
            throw new IllegalArgumentException(REMOTE_EDIT);
        }
        Recipe r = station.recipe();
        for (RecipeFields.Field f : RecipeFields.of(r)) {
            TextField t = inputs.get(f.owner() + "." + f.key());
            if (t != null && !t.getText().strip().equals(f.value())) {
                r = RecipeFields.with(r, f, t.getText());
            }
        }
        return rois.apply(r);
    }

    public void set(String owner, String key, String value) {
        TextField t = inputs.get(owner + "." + key);
        if (t == null) {
            throw new IllegalArgumentException("no field " + owner + "." + key);
        }
        t.setText(value);
    }

    /** Runs the preview in the background; the future completes (off the FX thread) with the counts. */
    public CompletableFuture<RecipePreview.Result> preview() {
        StationView.Local station = this.station;
        if (station == null) {
            show(REMOTE_EDIT);
            return CompletableFuture.failedFuture(new IllegalStateException(REMOTE_EDIT));
        }
        Recipe current = station.recipe();
        Recipe edited;
        try {
            edited = edited();
        } catch (IllegalArgumentException e) {
            show(e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        show("re-inspecting the last " + PREVIEW_PARTS + " archived parts …");
        return CompletableFuture.supplyAsync(() -> {
            try {
                var parts = RecipePreview.lastParts(station.dataDir().resolve("archive"), current.name(), PREVIEW_PARTS);
                return RecipePreview.run(current, edited, station.recipeDir(), parts);
            } catch (Exception e) {
                throw new IllegalStateException("preview failed: " + e.getMessage(), e);
            }
        }, background).whenComplete((r, e) -> Platform.runLater(() -> show(e != null ? e.getMessage()
                : r.parts() + " parts re-inspected: " + r.toReject() + " would flip PASS→REJECT, " + r.toPass()
                        + " REJECT→PASS" + (r.skipped() > 0 ? " (" + r.skipped() + " without images)" : ""))));
    }

    /** Saves the edit as the next version and changes over to it between parts (forced: the edit was reviewed). */
    public @Nullable Recipe save() {
        if (versions == null) {
            show(REMOTE_EDIT);
            return null;
        }
        try {
            Recipe saved = versions.saveNextVersion(edited(), session.who());
            changeOver(saved.name(), force.isSelected());
            show("saved " + saved.label());
            return saved;
        } catch (Exception e) {
            show("not saved: " + e.getMessage());
            return null;
        }
    }

    /**
     * Learns an anomaly model for the running recipe's anomaly shot (else its first shot, whole frame) from the last
     * 24 h of the station's archive and saves it as the next version only once it is evaluated ({@link LearnGood});
     * the future completes off the FX thread, the status line shows the figures or why nothing was saved.
     */
    public CompletableFuture<LearnGood.Result> learnGood() {
        StationView.Local station = this.station;
        RecipeVersions versions = this.versions;
        if (station == null || versions == null) {
            show(REMOTE_EDIT);
            return CompletableFuture.failedFuture(new IllegalStateException(REMOTE_EDIT));
        }
        Recipe current = station.recipe();
        Shot shot = current.shots().stream().filter(x -> x.anomaly() != null).findFirst().orElse(current.shots().getFirst());
        Roi roi = shot.anomaly() == null ? null : shot.anomaly().roi();
        Instant until = Instant.now();
        String who = session.who();
        show("learning the good parts of shot " + shot.name() + " from the last 24 h of the archive …");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return LearnGood.run(versions, station.dataDir().resolve("archive"), current, shot.name(), roi,
                        until.minus(Duration.ofHours(24)), until, who);
            } catch (IOException e) {
                throw new UncheckedIOException("learn good failed: " + e.getMessage(), e);
            }
        }, background).whenComplete((r, e) -> Platform.runLater(() -> show(e != null ? e.getMessage() : r.text())));
    }

    /**
     * Shows the changes the edit not yet saved makes to the running recipe; without one, the changes between the
     * running recipe and its previous version.
     */
    public List<String> compare() {
        List<String> changes = new ArrayList<>();
        if (versions == null || station == null) {
            show(REMOTE_EDIT);
            return changes;
        }
        try {
            Recipe running = station.recipe();
            String before = RecipeVersions.yaml(running);
            String after = RecipeVersions.yaml(edited());
            if (!before.equals(after)) {
                changes.addAll(RecipeDiff.changes(before, after));
                diff.setText(running.label() + " → edit not saved\n" + String.join("\n", changes));
                return changes;
            }
            List<RecipeVersions.Entry> all = versions.versions(station.recipe().name());
            if (all.size() < 2) {
                show("no earlier version of " + station.recipe().name());
                return changes;
            }
            Recipe a = versions.load(all.get(1).file());
            Recipe b = versions.load(all.get(0).file());
            changes.addAll(RecipeDiff.changes(RecipeVersions.yaml(a), RecipeVersions.yaml(b)));
            diff.setText(all.get(1).label() + " → " + all.get(0).label() + "\n" + String.join("\n", changes));
        } catch (Exception e) {
            show("cannot compare: " + e.getMessage());
        }
        return changes;
    }

    private String show(String text) {
        status.setText(text);
        return text;
    }

    /** The ROI editor; for tests that drag on it. */
    RoiEditor rois() {
        return rois;
    }

    public String status() {
        return status.getText();
    }

    public Node view() {
        return root;
    }
}
