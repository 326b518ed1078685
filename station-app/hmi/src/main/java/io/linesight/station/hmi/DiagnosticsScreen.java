/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import org.jspecify.annotations.Nullable;

/**
 * Devices and their health, execution provider, broker link, queue and in-flight counts, and where the last part's
 * time went. Reads only the station's read-only getters. FX thread only.
 */
public final class DiagnosticsScreen {
    private final GridPane root = new GridPane();
    private final Map<String, Label> values = new LinkedHashMap<>();

    public DiagnosticsScreen() {
        root.getStyleClass().add("diagnostics");
    }

    public Node view() {
        return root;
    }

    public void update(StationView station, @Nullable Inspection last) {
        Map<String, String> rows = new LinkedHashMap<>();
        station.deviceHealth().forEach(rows::put);
        String provider = station.executionProvider();
        rows.put("execution provider", provider.isBlank() ? "none (recipe has no model)" : provider);
        rows.put("broker", station.brokerUrl());
        rows.put("broker link", station.brokerConnected() ? "connected" : "DOWN");
        rows.put("parts in flight", Integer.toString(station.inFlight()));
        rows.put("results not yet stored", Integer.toString(station.storePending()));
        station.keeping().forEach(rows::put);
        rows.put("results skipped by viewers", Long.toString(station.skippedByViewers()));
        rows.put("orphan frames", Long.toString(station.orphanFrames()));
        Timings t = last == null ? Timings.NONE : last.timings();
        rows.put("last part: acquire", ms(t.acquireNanos()));
        rows.put("last part: queue", ms(t.queueNanos()));
        rows.put("last part: rules", ms(t.rulesNanos()));
        rows.put("last part: model", ms(t.modelNanos()));
        rows.put("last part: anomaly", ms(t.anomalyNanos()));
        rows.put("last part: total", ms(t.totalNanos()));
        rows.forEach((k, v) -> values.computeIfAbsent(k, key -> {
            Label name = new Label(key);
            name.getStyleClass().add("diag-name");
            Label value = new Label();
            value.getStyleClass().add("diag-value");
            int row = values.size();
            root.add(name, 0, row);
            root.add(value, 1, row);
            return value;
        }).setText(v));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    public @Nullable String value(String row) {
        Label l = values.get(row);
        return l == null ? null : l.getText();
    }
}
