/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import java.util.List;
import javafx.scene.control.Label;

/** A red band naming the active alarms; a calm grey "no alarms" when there are none. FX thread only. */
public final class AlarmBanner extends Label {
    public AlarmBanner() {
        getStyleClass().add("alarm-banner");
        setMaxWidth(Double.MAX_VALUE);
        show(List.of());
    }

    public void show(List<String> alarms) {
        getStyleClass().remove("active");
        if (alarms.isEmpty()) {
            setText("No alarms");
        } else {
            setText("⚠ " + String.join("   ⚠ ", alarms));
            getStyleClass().add("active");
        }
    }

    public boolean active() {
        return getStyleClass().contains("active");
    }
}
