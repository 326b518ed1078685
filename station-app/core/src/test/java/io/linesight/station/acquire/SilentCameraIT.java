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
 * Cameras whose frames do not come when asked: one whose stream never worked since the station started (the
 * synthetic camera missing every trigger) is taken for faulty once its frame timeout has passed (CAMERA_FAULT naming
 * the camera, not TIMEOUT after a whole deadline each); one that owes the frame of a part whose deadline ran out is
 * not triggered again until that frame comes (a driver pairs triggers and frames in order, so a trigger sent then
 * would have its frame taken for the overdue one): the parts meanwhile are OVERLOAD, not taken.
 */
class SilentCameraIT {
    @TempDir
    Path dir;

    /** A one-shot station on a 64x64 synthetic camera with the given camera options. */
    private Station start(int deadlineMs, int frameTimeoutMs, String cameraOption) throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/r.yaml"), """
                name: r
                shots:
                  - {name: top, camera: top, exposureUs: 1000}
                rules:
                  - {type: intensity, name: exposure, shot: top, roi: {x: 0, y: 0, width: 64, height: 64}, minMean: 0}
                """);
        Files.writeString(dir.resolve("station.yaml"), """
                line: cam
                station: s1
                deadlineMs: %d
                recipe: r.yaml
                cameras:
                  - {id: top, driver: synthetic, width: 64, height: 64, frameTimeoutMs: %d,
                     options: {seed: "5", defectRate: "0", %s}}
                broker: {url: embedded, embeddedPort: 0}
                """.formatted(deadlineMs, frameTimeoutMs, cameraOption));
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        var recipe = RecipeLoader.load(dir.resolve("recipes/r.yaml"), "r.yaml", loaded.recipeDir(), loaded.config());
        return Station.start(loaded, recipe, null, dir.resolve("data"));
    }

    @Test
    void aCameraThatNeverDeliveredAFrame_isTakenForFaulty_notForSlow() throws Exception {
        // the synthetic camera misses every trigger
        try (Station station = start(500, 600, "dropEvery: \"1\"")) {
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

    @Test
    void aCameraThatOwesAFrame_isNotTriggeredAgainUntilItComes() throws Exception {
        // each frame takes 400 ms to read out, past the 250 ms deadline: the first part's wait is cut short
        try (Station station = start(250, 2000, "readoutMs: \"400\"")) {
            station.trigger("first");
            Thread.sleep(300); // its deadline has run out; its frame comes about 100 ms later
            station.trigger("second");
            assertThat(station.awaitIdle(10_000)).isTrue();
            StationStats.Snapshot s = station.stats().snapshot();
            assertThat(s.rejectsByReason()).as("the first part timed out; the second was not triggered while the "
                    + "first one's frame was owed").containsEntry(ReasonCode.TIMEOUT, 1L)
                    .containsEntry(ReasonCode.OVERLOAD, 1L);
            String reasons = "";
            for (int i = 0; i < 100 && reasons.isEmpty(); i++) {
                var found = station.store().queries().findPart("second");
                reasons = found.isEmpty() ? "" : found.getFirst().reasons();
                Thread.sleep(20);
            }
            assertThat(reasons).contains("owes the frame of a trigger sent");
        }
    }
}
