/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.rules.judge.Reason;
import io.linesight.station.result.Inspection;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/** The big PASS / REJECT tile of the last part, with its reasons under the word. FX thread only. */
public final class VerdictTile extends VBox {
    private final Label word = new Label("—");
    private final Label part = new Label("waiting for the first part");
    private final Label reasons = new Label("");
    private @Nullable String partId;

    public VerdictTile() {
        getStyleClass().add("verdict-tile");
        word.getStyleClass().add("verdict-word");
        part.getStyleClass().add("verdict-part");
        reasons.getStyleClass().add("verdict-reasons");
        reasons.setWrapText(true);
        getChildren().addAll(word, part, reasons);
    }

    public void show(@Nullable Inspection last) {
        if (last == null) {
            return;
        }
        partId = last.part().partId();
        boolean pass = last.verdict().passed();
        word.setText(pass ? "PASS" : "REJECT");
        getStyleClass().removeAll("pass", "reject");
        getStyleClass().add(pass ? "pass" : "reject");
        part.setText("part " + last.part().partId() + "  #" + last.seq());
        reasons.setText(last.verdict().reasons().stream().limit(4).map(VerdictTile::reasonLine)
                .collect(Collectors.joining("\n")));
    }

    static String reasonLine(Reason r) {
        return r.code() + " · " + r.source() + (r.detail().isEmpty() ? "" : ": " + r.detail());
    }

    /** The part the tile shows, or null before the first. FX thread. */
    public @Nullable String partId() {
        return partId;
    }

    public String word() {
        return word.getText();
    }

    public String reasons() {
        return reasons.getText();
    }
}
