/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.alarm.AlarmBook;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/**
 * A red band naming the active alarms, with a big ACK button; a calm grey "no alarms" when there are none. An
 * acknowledged alarm stays in the band, dimmed and with who acknowledged it, until its condition clears. FX thread
 * only.
 */
public final class AlarmBanner extends HBox {
    private final FlowPane lines = new FlowPane();
    private final Button ack = new Button("ACK");
    private final Label note = new Label();
    private List<AlarmBook.BannerAlarm> shown = List.of();
    private Runnable onAck = () -> { };

    public AlarmBanner() {
        getStyleClass().add("alarm-banner");
        setMaxWidth(Double.MAX_VALUE);
        lines.getStyleClass().add("alarm-lines");
        HBox.setHgrow(lines, Priority.ALWAYS);
        ack.getStyleClass().addAll("big-button", "ack-button");
        ack.setMinSize(96, 56); // gloves: well past the 48 px minimum
        ack.setOnAction(e -> onAck.run());
        note.getStyleClass().add("alarm-note");
        getChildren().addAll(lines, note, ack);
        show(List.of());
    }

    /** What the ACK button does (the HMI acknowledges off the FX thread and audits). */
    public void onAck(Runnable action) {
        this.onAck = action;
    }

    public void show(List<AlarmBook.BannerAlarm> alarms) {
        if (alarms.equals(shown) && !lines.getChildren().isEmpty()) {
            return; // nothing changed: no relayout 30 times a second
        }
        shown = List.copyOf(alarms);
        lines.getChildren().clear();
        getStyleClass().removeAll("active", "all-acknowledged");
        if (alarms.isEmpty()) {
            lines.getChildren().add(new Label("No alarms"));
        } else {
            getStyleClass().add("active");
            for (AlarmBook.BannerAlarm a : alarms) {
                Label l = new Label("⚠ " + a.text() + (a.acknowledged() ? "  (ACK " + a.acknowledgedBy() + ")" : ""));
                l.getStyleClass().add("alarm-line");
                if (a.acknowledged()) {
                    l.getStyleClass().add("acknowledged");
                }
                lines.getChildren().add(l);
            }
            if (alarms.stream().allMatch(AlarmBook.BannerAlarm::acknowledged)) {
                getStyleClass().add("all-acknowledged");
            }
        }
        ack.setVisible(!alarms.isEmpty());
        ack.setDisable(unacknowledged().isEmpty());
    }

    /** The stored alarms shown that nobody acknowledged yet: what ACK acknowledges. */
    public List<Long> unacknowledged() {
        return shown.stream().filter(a -> a.id() > 0 && !a.acknowledged()).map(AlarmBook.BannerAlarm::id).toList();
    }

    /** A line under the alarms, e.g. why an acknowledgement failed; empty to remove it. */
    public void note(String text) {
        note.setText(text);
    }

    public String note() {
        return note.getText();
    }

    public boolean active() {
        return getStyleClass().contains("active");
    }

    /** Every alarm shown is acknowledged (the band is dimmed). */
    public boolean allAcknowledged() {
        return getStyleClass().contains("all-acknowledged");
    }

    /** The alarms as one line of text (tests, logs). */
    public String getText() {
        return shown.isEmpty() ? "No alarms"
                : shown.stream().map(a -> "⚠ " + a.text() + (a.acknowledged() ? " (ACK " + a.acknowledgedBy() + ")" : ""))
                        .collect(Collectors.joining("   "));
    }

    public Button ackButton() {
        return ack;
    }
}
