/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.Station;
import io.linesight.station.stats.StationStats;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera whose stream never worked since the station started (the synthetic camera missing every trigger): once
 * its frame timeout has passed, its parts are CAMERA_FAULT naming the camera, not TIMEOUT after a whole deadline each.
 */
class SilentCameraIT {
    @TempDir
    Path dir;

    @Test
    void aCameraThatNeverDeliveredAFrame_isTakenForFaulty_notForSlow() throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/r.yaml"), """
                name: r
                shots:
                  - {name: top, camera: top, exposureUs: 1000}
                rules:
                  - {type: intensity, name: exposure, shot: top, roi: {x: 0, y: 0, width: 64, height: 64}, minMean: 0}
                """);
        Files.writeString(dir.resolve("station.yaml"), """
                line: silent
                station: s1
                deadlineMs: 500
                recipe: r.yaml
                cameras:
                  - {id: top, driver: synthetic, width: 64, height: 64, frameTimeoutMs: 600,
                     options: {seed: "5", defectRate: "0", dropEvery: "1"}}
                broker: {url: embedded, embeddedPort: 0}
                """);
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        var recipe = RecipeLoader.load(dir.resolve("recipes/r.yaml"), "r.yaml", loaded.recipeDir(), loaded.config());
        try (Station station = Station.start(loaded, recipe, null, dir.resolve("data"))) {
            for (int i = 0; i < 12; i++) { // one part every 250 ms for 3 s
                station.trigger("P" + i);
                Thread.sleep(250);
            }
            assertThat(station.awaitIdle(10_000)).isTrue();
            StationStats.Snapshot s = station.stats().snapshot();
            assertThat(s.parts()).isEqualTo(12);
            assertThat(s.passed()).isZero();
            assertThat(s.rejectsByReason().getOrDefault(ReasonCode.CAMERA_FAULT, 0L))
                    .as("parts after the camera's frame timeout, by reason: %s", s.rejectsByReason()).isPositive();
        }
    }
}
