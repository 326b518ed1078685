/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A caption over a big number. FX thread only. */
public final class CounterTile extends VBox {
    private final Label value = new Label("0");

    public CounterTile(String caption) {
        getStyleClass().add("counter-tile");
        Label c = new Label(caption);
        c.getStyleClass().add("counter-caption");
        value.getStyleClass().add("counter-value");
        getChildren().addAll(c, value);
    }

    public void set(String text) {
        value.setText(text);
    }

    public String value() {
        return value.getText();
    }
}
