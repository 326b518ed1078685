/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import java.util.List;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/** The last verdicts as coloured chips, oldest left, newest right. FX thread only. */
public final class VerdictStrip extends HBox {
    public VerdictStrip() {
        getStyleClass().add("verdict-strip");
        for (int i = 0; i < HmiFeed.RECENT; i++) {
            Region chip = new Region();
            chip.getStyleClass().add("chip");
            getChildren().add(chip);
        }
    }

    public void show(List<Boolean> recent) {
        int offset = HmiFeed.RECENT - recent.size();
        for (int i = 0; i < HmiFeed.RECENT; i++) {
            Region chip = (Region) getChildren().get(i);
            chip.getStyleClass().removeAll("pass", "reject");
            if (i >= offset) {
                chip.getStyleClass().add(recent.get(i - offset) ? "pass" : "reject");
            }
        }
    }
}
