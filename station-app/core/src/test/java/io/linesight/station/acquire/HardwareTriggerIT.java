/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.result.Inspection;
import io.linesight.station.stats.StationStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trigger source {@code hardware} with part ids from the station's counter: the cameras' line starts each part. Here
 * the synthetic camera runs free at 5 frames/s, which delivers untagged frames exactly as line-triggered ones arrive.
 * (Part ids announced by the PLC and paired by trigger time: {@code LineTriggerIT}.)
 */
class HardwareTriggerIT {
    @TempDir
    Path dir;

    @Test
    void eachLineTriggeredFrameIsAPart_numberedByTheStation_everyPartOneVerdict() throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/line.yaml"), """
                name: line
                shots:
                  - {name: bright, camera: top, exposureUs: 1000}
                rules:
                  - {type: blob, name: surface, shot: bright, roi: {x: 425, y: 280, width: 430, height: 465},
                     thresholdValue: 130, minArea: 12, maxCount: 0}
                """);
        Files.writeString(dir.resolve("station.yaml"), """
                line: hw
                station: s1
                deadlineMs: 1000
                recipe: line.yaml
                trigger: {source: hardware, partIds: counter}
                cameras:
                  - {id: top, driver: synthetic, width: 1280, height: 1024, triggerMode: free-run,
                     options: {seed: "5", defectRate: "0.3", fps: "5"}}
                broker: {url: embedded, embeddedPort: 0}
                """);
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        var recipe = RecipeLoader.load(dir.resolve("recipes/line.yaml"), "line.yaml", loaded.recipeDir(), loaded.config());
        List<String> ids = new CopyOnWriteArrayList<>();
        try (Station station = Station.start(loaded, recipe, null, dir.resolve("data"))) {
            station.results().addListener((Inspection i, io.linesight.station.fanout.LatestImages.PartImages images) -> ids.add(i.part().partId()));
            Thread.sleep(1500);
            assertThat(station.trigger("PLC-42")).as("a counting station takes no announcements").contains("counter");
            Thread.sleep(2500);
            station.stopLine();
            assertThat(station.awaitIdle(3000)).isTrue();
            StationStats.Snapshot s = station.stats().snapshot();
            assertThat(s.parts()).as("about 5 parts a second for 4 s, and until the stop is seen").isBetween(10L, 45L);
            // frames the line fires after the stop command are parts too: rejected STATION_STOPPED, not inspected
            long stopped = s.rejectsByReason().getOrDefault(io.linesight.rules.judge.ReasonCode.STATION_STOPPED, 0L);
            assertThat(s.imaged() + stopped).isEqualTo(s.parts());
            assertThat(s.escapes()).isZero();
            assertThat(s.overkill()).isZero();
            assertThat(s.truthDefective()).as("defects were injected and judged").isPositive();
            // every part is in the results store under the station's own numbering (viewers see only the latest)
            for (String id : List.of("H000001", "H000002")) {
                for (int i = 0; i < 100 && station.store().queries().findPart(id).isEmpty(); i++) {
                    Thread.sleep(50);
                }
                assertThat(station.store().queries().findPart(id)).as(id).isNotEmpty();
            }
            assertThat(station.store().queries().findPart("PLC-42")).isEmpty();
        }
        assertThat(ids).doesNotContain("PLC-42").allMatch(id -> id.matches("H[0-9]{6}"));
    }
}
