/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.result.Inspection;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The gallery of recent rejected parts (newest first) with their reasons; a tap opens the part large, every shot
 * with overlays, wheel to zoom and drag to pan. FX thread only.
 */
public final class RejectsScreen {
    private final StackPane root = new StackPane();
    private final FlowPane gallery = new FlowPane();
    private final ScrollPane galleryScroll = new ScrollPane(gallery);
    private final BorderPane zoom = new BorderPane();
    private List<HmiState.RejectedPart> shown = List.of();

    public RejectsScreen() {
        root.getStyleClass().add("rejects");
        gallery.getStyleClass().add("gallery");
        galleryScroll.setFitToWidth(true);
        zoom.getStyleClass().add("zoom");
        zoom.setVisible(false);
        root.getChildren().addAll(galleryScroll, zoom);
    }

    public Node view() {
        return root;
    }

    /** Rebuilds the gallery when the list of rejects changed; not while a part is open. */
    public void update(HmiState state) {
        if (state.rejects().equals(shown) || zoom.isVisible()) {
            return;
        }
        shown = state.rejects();
        gallery.getChildren().clear();
        if (shown.isEmpty()) {
            gallery.getChildren().add(new Label("No rejected parts yet"));
        }
        for (HmiState.RejectedPart r : shown) {
            gallery.getChildren().add(card(r));
        }
    }

    private Node card(HmiState.RejectedPart r) {
        Inspection i = r.inspection();
        ShotView image = new ShotView(r.shots().isEmpty() ? "-" : new TreeMap<>(r.shots()).firstKey());
        image.setPrefSize(280, 210);
        image.show(r.shots().get(image.shot()), i);
        Label reason = new Label(VerdictTile.reasonLine(i.verdict().reasons().getFirst()));
        reason.getStyleClass().add("card-reason");
        reason.setWrapText(true);
        reason.setMaxWidth(280);
        VBox card = new VBox(image, reason);
        card.getStyleClass().add("reject-card");
        card.setOnMouseClicked(e -> open(r));
        return card;
    }

    /** Opens one rejected part large. */
    public void open(HmiState.RejectedPart r) {
        Inspection i = r.inspection();
        Button back = new Button("◀  Back to gallery");
        back.getStyleClass().add("big-button");
        back.setOnAction(e -> zoom.setVisible(false));
        Label title = new Label("REJECT  part " + i.part().partId() + "  #" + i.seq() + "  " + i.recipe());
        title.getStyleClass().add("zoom-title");
        HBox top = new HBox(back, title);
        top.getStyleClass().add("zoom-top");
        HBox shots = new HBox();
        shots.getStyleClass().add("shots");
        new TreeMap<>(r.shots()).forEach((shot, img) -> {
            ShotView v = new ShotView(shot);
            v.enablePanZoom();
            v.show(img, i);
            HBox.setHgrow(v, Priority.ALWAYS);
            shots.getChildren().add(v);
        });
        if (r.shots().isEmpty()) {
            shots.getChildren().add(new Label("No image was captured for this part (rejected before imaging, or images were rate-limited)"));
        }
        Label reasons = new Label(i.verdict().reasons().stream().map(VerdictTile::reasonLine)
                .collect(Collectors.joining("\n")));
        reasons.getStyleClass().add("verdict-reasons");
        zoom.setTop(top);
        zoom.setCenter(shots);
        zoom.setBottom(reasons);
        zoom.setVisible(true);
    }

    public int cards() {
        return shown.size();
    }

    public boolean zoomOpen() {
        return zoom.isVisible();
    }
}
