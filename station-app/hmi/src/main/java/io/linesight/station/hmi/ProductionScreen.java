/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.alarm.AlarmBook;
import io.linesight.station.stats.StationStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * What the operator watches: latest image of each shot with overlays, the big verdict tile, counters, rate and
 * latency, the last verdicts, the recipe, and the alarm banner. FX thread only.
 */
public final class ProductionScreen {
    private final BorderPane root = new BorderPane();
    private final AlarmBanner alarms = new AlarmBanner();
    private final Label recipe = new Label();
    private final HBox shotsBox = new HBox();
    private final Map<String, ShotView> shots = new LinkedHashMap<>();
    private final VerdictTile tile = new VerdictTile();
    private final VerdictStrip strip = new VerdictStrip();
    private final CounterTile total = new CounterTile("TOTAL");
    private final CounterTile pass = new CounterTile("PASS");
    private final CounterTile reject = new CounterTile("REJECT");
    private final CounterTile yield = new CounterTile("YIELD %");
    private final CounterTile ppm = new CounterTile("PARTS/MIN");
    private final CounterTile p50 = new CounterTile("P50 ms");
    private final CounterTile p99 = new CounterTile("P99 ms");
    private final CounterTile timeouts = new CounterTile("TIMEOUTS");
    private long shownVersion = -1;

    public ProductionScreen() {
        root.getStyleClass().add("production");
        recipe.getStyleClass().add("recipe-label");
        VBox top = new VBox(alarms, recipe);
        top.getStyleClass().add("top-bar");
        root.setTop(top);
        shotsBox.getStyleClass().add("shots");
        root.setCenter(shotsBox);
        GridPane counters = new GridPane();
        counters.getStyleClass().add("counters");
        CounterTile[] all = {total, pass, reject, yield, ppm, timeouts, p50, p99};
        for (int i = 0; i < all.length; i++) {
            counters.add(all[i], i % 2, i / 2);
        }
        pass.getStyleClass().add("pass");
        reject.getStyleClass().add("reject");
        VBox side = new VBox(tile, counters);
        side.getStyleClass().add("side");
        root.setRight(side);
        root.setBottom(strip);
    }

    public Node view() {
        return root;
    }

    /** Refreshes from the latest state; images and overlays are redrawn only when a new result arrived. */
    public void update(HmiState state, StationStats.Snapshot s, List<AlarmBook.BannerAlarm> activeAlarms,
                       String recipeLabel) {
        alarms.show(activeAlarms);
        recipe.setText("Recipe  " + recipeLabel);
        total.set(Long.toString(s.parts()));
        pass.set(Long.toString(s.passed()));
        reject.set(Long.toString(s.rejected()));
        yield.set(String.format(Locale.ROOT, "%.1f", s.yieldPct()));
        ppm.set(String.format(Locale.ROOT, "%.0f", s.partsPerMinute()));
        p50.set(String.format(Locale.ROOT, "%.1f", s.p50Ms()));
        p99.set(String.format(Locale.ROOT, "%.1f", s.p99Ms()));
        timeouts.set(Long.toString(s.timeouts()));
        if (state.version() == shownVersion) {
            return;
        }
        shownVersion = state.version();
        for (String shot : new TreeSet<>(state.shots().keySet())) {
            shots.computeIfAbsent(shot, k -> {
                ShotView v = new ShotView(k);
                HBox.setHgrow(v, Priority.ALWAYS);
                shotsBox.getChildren().add(v);
                return v;
            });
        }
        shots.forEach((shot, view) -> view.show(state.shots().get(shot), state.last()));
        tile.show(state.last());
        strip.show(state.recent());
    }

    /** The image views, by shot name. FX thread. */
    public Map<String, ShotView> shotViews() {
        return Map.copyOf(shots);
    }

    public VerdictTile tile() {
        return tile;
    }

    public Map<String, CounterTile> counters() {
        return Map.of("total", total, "pass", pass, "reject", reject, "yield", yield, "ppm", ppm, "p50", p50,
                "p99", p99, "timeouts", timeouts);
    }

    public AlarmBanner alarms() {
        return alarms;
    }
}
